package io.rpctrace.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * jackson-core's UTF-8 generator writing into a byte array that {@link RecordEncoder} owns and
 * reads directly, so a finished line needs no flush-and-copy into a second buffer. Only what
 * does not fit (very long records) is flushed to the overflow stream.
 *
 * <p>Design note: the array is handed to jackson through the public
 * {@code UTF8JsonGenerator(..., byte[] outputBuffer, int outputOffset, boolean bufferRecyclable)}
 * constructor, from {@link JsonFactory#_createUTF8Generator}, the factory's documented
 * extension point; everything else (escaping, numbers, structure) is jackson's.
 */
final class LineGenerator extends UTF8JsonGenerator {
    private LineGenerator(IOContext ctxt, int features, OutputStream overflow, byte[] buffer) {
        super(ctxt, features, null, overflow, '"', buffer, 0, false);
    }

    /** A generator writing into {@code buffer}, flushing to {@code overflow} when it is full. */
    static LineGenerator create(OutputStream overflow, byte[] buffer) throws IOException {
        Factory factory = new Factory(buffer);
        LineGenerator g = (LineGenerator) factory.createGenerator(overflow);
        g.setCharacterEscapes(LineEscapes.INSTANCE);
        g.setRootValueSeparator(null);
        return g;
    }

    /** The array the current line is being written to. */
    byte[] outputBuffer() {
        return _outputBuffer;
    }

    /** Bytes written to {@link #outputBuffer()} and not flushed yet. */
    int outputTail() {
        return _outputTail;
    }

    /** Starts a new line at offset 0; the previous line must be complete (root level). */
    void rewind() {
        _outputTail = 0;
    }

    private static final class Factory extends JsonFactory {
        private static final long serialVersionUID = 1L;
        private final transient byte[] buffer;

        Factory(byte[] buffer) {
            super(new JsonFactoryBuilder()
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM));
            this.buffer = buffer;
        }

        @Override
        protected JsonGenerator _createUTF8Generator(OutputStream out, IOContext ctxt) {
            return new LineGenerator(ctxt, _generatorFeatures, out, buffer);
        }
    }

    /**
     * JSON's standard escapes, plus U+0085, U+2028 and U+2029 written as {@code \\uXXXX}:
     * valid raw in JSON, but line terminators to many line-oriented readers (JavaScript,
     * Python's {@code splitlines}, editors), so a record can never look like two lines.
     * Only strings that contain non-ASCII characters take the slower custom-escape path.
     */
    static final class LineEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        static final LineEscapes INSTANCE = new LineEscapes();
        private static final int[] ASCII = standardAsciiEscapesForJSON();
        private static final SerializedString NEL = new SerializedString("\\u0085");
        private static final SerializedString LSEP = new SerializedString("\\u2028");
        private static final SerializedString PSEP = new SerializedString("\\u2029");

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            switch (ch) {
                case 0x85: return NEL;
                case 0x2028: return LSEP;
                case 0x2029: return PSEP;
                default: return null;
            }
        }
    }
}
