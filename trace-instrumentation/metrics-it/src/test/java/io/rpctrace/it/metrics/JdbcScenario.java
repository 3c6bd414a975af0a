package io.rpctrace.it.metrics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * {@value #ORDERS} queries from {@link OrderDao} and {@value #USERS} from {@link UserDao} (one of
 * them failing) against the real MariaDB, in a JVM with the agent and a 1 s metrics interval;
 * a pause in the middle makes the calls span several intervals.
 */
public final class JdbcScenario {
    static final int ORDERS = 30;
    static final int USERS = 20;

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test", "root", "")) {
            for (int i = 0; i < ORDERS; i++) {
                if (i == ORDERS / 2) {
                    Thread.sleep(1_300);
                }
                OrderDao.find(c, i);
            }
            for (int i = 0; i < USERS; i++) {
                UserDao.find(c, i);
            }
            try {
                UserDao.find(c, -1);
                throw new AssertionError("the table does not exist");
            } catch (SQLException expected) {
                // written as mysql.request.error: an error of the user_dao_find series
            }
        }
    }
}
