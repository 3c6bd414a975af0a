package io.rpctrace.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "jdbc:mysql://127.0.0.1:3306/test?useSSL=false|mysql|127.0.0.1:3306|test|jdbc:mysql://127.0.0.1:3306/test?useSSL=false",
        "jdbc:mariadb://app:pw@db1/shop?password=x&useSSL=false|mysql|db1:3306|shop|jdbc:mariadb://db1/shop?useSSL=false",
        "jdbc:mysql:replication://a:3307,b:3308/shop|mysql|a:3307|shop|jdbc:mysql:replication://a:3307,b:3308/shop",
        "jdbc:mysql://address=(host=h9)(port=3310)/db|mysql|h9:3310|db|jdbc:mysql://address=(host=h9)(port=3310)/db",
        "jdbc:postgresql://localhost/test?user=root&password=secret&ssl=false|postgresql|localhost:5432|test|jdbc:postgresql://localhost/test?ssl=false",
        "jdbc:postgresql:test|postgresql|localhost:5432|test|jdbc:postgresql:test",
        "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1|h2|-|orders|jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1",
        "jdbc:h2:tcp://localhost/~/data/shop;PASSWORD=x|h2|localhost:9092|shop|jdbc:h2:tcp://localhost/~/data/shop",
        "jdbc:h2:file:/var/db/shop|h2|-|shop|jdbc:h2:file:/var/db/shop",
        "jdbc:sqlserver://sql1:1433;databaseName=erp;password=pw|sqlserver|sql1:1433|erp|jdbc:sqlserver://sql1:1433;databaseName=erp",
        "jdbc:oracle:thin:@ora1:1521:ORCL|oracle|ora1:1521|ORCL|jdbc:oracle:thin:@ora1:1521:ORCL",
        "jdbc:oracle:thin:scott/tiger@//ora2:1522/svc|oracle|ora2:1522|svc|jdbc:oracle:thin:@//ora2:1522/svc",
        "jdbc:sqlite:/tmp/x.db|sqlite|-|/tmp/x.db|jdbc:sqlite:/tmp/x.db",
        "not a url|jdbc|-|-|not a url",
    })
    void parses(String url, String system, String host, String db, String safe) {
        JdbcUrl u = JdbcUrl.parse(url);
        assertEquals(system, u.system());
        assertEquals(host, u.host());
        assertEquals(db, u.database());
        assertEquals(safe, u.safeUrl());
        assertFalse(u.safeUrl().contains("secret") || u.safeUrl().contains("pw@") || u.safeUrl().contains("=pw")
                || u.safeUrl().contains("tiger"),
                u.safeUrl());
    }
}
