package io.rpctrace.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.internal.ParamJson;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SqlTextTest {
    @Test
    void preparedSqlIsKeptUpToItsCap() {
        String sql = "select * from orders where id = ?";
        assertEquals(sql, SqlText.action(sql, true, 2048));
        assertEquals("select * f...", SqlText.action(sql, true, 10));
    }

    @Test
    void literalSqlIsCappedAndSecretLiteralsMasked() {
        assertEquals("alter user app identified by '?'", SqlText.action("alter user app identified by 's3cr''et'", false, 256));
        assertEquals("update users set password = '?' where name = '?'",
                SqlText.action("update users set password = 'hunter2' where name = 'bob'", false, 256));
        assertEquals("select * from t where name = 'bob'", SqlText.action("select * from t where name = 'bob'", false, 256));
        assertEquals("select 1234...", SqlText.action("select 123456789", false, 11));
    }

    @Test
    void secretPlaceholdersAreFoundByColumn() {
        assertArrayEquals(new boolean[] {true, false}, SqlText.secretParams("update users set password = ? where id = ?"));
        assertArrayEquals(new boolean[] {false, true, false},
                SqlText.secretParams("insert into users (name, api_token, age) values (?, ?, ?)"));
        assertArrayEquals(new boolean[] {false, true}, SqlText.secretParams("select 1 from u where name=? and passwd like ?"));
        assertNull(SqlText.secretParams("select * from t where id = ?"));
        assertNull(SqlText.secretParams("select password from t where id = ?"));
        String sql = "select '?' /* ? */ from t where a = ? -- ?";
        assertEquals(List.of(sql.indexOf("= ?") + 2), SqlText.placeholders(sql));
    }

    @Test
    void paramsAreJsonCappedAndMasked() {
        Object[] values = {1, "a\"b\n", null, "pw", new byte[3], 2.5, true};
        assertEquals("[1,\"a\\\"b\\n\",null,\"***\",\"<3 bytes>\",2.5,true]",
                SqlText.paramsJson(values, values.length, new boolean[] {false, false, false, true}));
        char[] big = new char[500];
        Arrays.fill(big, 'x');
        String json = SqlText.paramsJson(new Object[] {new String(big)}, 1, null);
        assertEquals(ParamJson.MAX_VALUE_CHARS + 2 + 2 + ParamJson.CUT.length(), json.length());
        assertNull(SqlText.paramsJson(new Object[4], 0, null));
    }

    @Test
    void connectSecretsAreFoundAndScrubbed() {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "fromProps");
        List<String> secrets = ConnectSecrets.of("jdbc:mariadb://app:inUrl@db:3306/x?sslPassword=ssl1&a=b", p);
        assertTrue(secrets.containsAll(List.of("fromProps", "inUrl", "ssl1")), secrets.toString());
        assertFalse(secrets.contains("app"));
        Throwable t = ConnectSecrets.scrub(new IllegalStateException("bad port: inUrl@db",
                new RuntimeException("fromProps rejected")), secrets);
        assertEquals("java.lang.IllegalStateException: bad port: ***@db", t.toString());
        assertEquals("bad port: ***@db", t.getMessage());
        assertEquals("java.lang.RuntimeException: *** rejected", t.getCause().toString());
        Throwable clean = new IllegalStateException("no secret here");
        assertTrue(clean == ConnectSecrets.scrub(clean, secrets));
    }

    @Test
    void hostsResolveToIpPort() {
        assertEquals("127.0.0.1:3306", ConnectionInfo.resolve("localhost:3306").replace("[0:0:0:0:0:0:0:1]", "127.0.0.1"));
        assertEquals("10.1.2.3:5432", ConnectionInfo.resolve("10.1.2.3:5432"));
        assertNull(ConnectionInfo.resolve(null));
    }

    /** The x_module cache's key for SQL run as text: values inline vary per call, the shape does not. */
    @Test
    void aStatementsShapeDropsItsLiterals() {
        assertEquals("select * from t1 where id = ? and name = ?",
                SqlText.siteShape("select * from t1 where id = 42 and name = 'bob'"));
        assertEquals(SqlText.siteShape("update t set v = 'it''s', w = 1.5e3 where k = 0x1F"),
                SqlText.siteShape("update t set v = 'x', w = 7 where k = 0xAB"));
        assertEquals("insert into log_2024 values (?, ?)", SqlText.siteShape("insert into log_2024 values (12, 'a\\'b')"));
        assertEquals("select ?", SqlText.siteShape("select 'unterminated"));
        assertEquals(SqlText.SHAPE_CHARS, SqlText.siteShape("x".repeat(2000)).length(), "a long statement is looked at in part");
    }
}
