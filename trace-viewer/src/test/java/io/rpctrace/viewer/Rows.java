package io.rpctrace.viewer;

import java.util.ArrayList;
import java.util.List;

/** The tree rows of the text output, as {@code "<level> <id> <name>"} strings. */
final class Rows {
    private static final int PREFIX = 23; // marker, offset, duration columns

    static List<String> of(String textOutput) {
        List<String> rows = new ArrayList<>();
        boolean inTree = false;
        for (String line : textOutput.split("\n")) {
            if (line.contains("rpc id / record")) {
                inTree = true;
                continue;
            }
            if (!inTree || line.isEmpty()) {
                if (inTree) {
                    break;
                }
                continue;
            }
            String rest = line.substring(PREFIX);
            int spaces = 0;
            while (rest.charAt(spaces) == ' ') {
                spaces++;
            }
            String[] words = rest.trim().split(" +");
            rows.add(spaces / 2 + " " + words[0] + " " + (words[1].equals("?") || words[1].equals("(task") ? "?" : words[1]));
        }
        return rows;
    }

    private Rows() {
    }
}
