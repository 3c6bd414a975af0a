package io.rpctrace.it.jdbc;

/** H2 in memory (embedded driver, no server). */
class H2Test extends JdbcContract {
    @Override String system() { return "h2"; }
    @Override String url() { return "jdbc:h2:mem:rpct;DB_CLOSE_DELAY=-1"; }
    @Override String user() { return "sa"; }
    @Override String password() { return ""; }
    @Override String host() { return null; }
    @Override String db() { return "rpct"; }
    @Override String refusedUrl() { return "jdbc:h2:mem:rpct;DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=" + WRONG_PASSWORD; }
    @Override String closedPortUrl() { return "jdbc:h2:tcp://127.0.0.1:1/mem:rpct"; }
}
