package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON documents through Jackson, against MariaDB's JSON columns (text checked by JSON_VALID). */
@SpindleTest(time = TimeMode.REAL)
class JsonTest {
    record Address(String street, String city) {}

    record Customer(long id, String name, Address address, List<String> tags, Map<String, Integer> scores) {}

    record Visit(LocalDate day, int minutes) {}

    private static MySqlConnection withTable() {
        MySqlConnection c = Db.connect();
        c.execute("CREATE TEMPORARY TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR(50), address JSON,"
                + " tags JSON, scores JSON, visits JSON)");
        return c;
    }

    @Test
    void documentsGoInAsParametersAndComeBackAsRecordsListsMapsAndTrees() {
        try (MySqlConnection c = withTable()) {
            c.execute(
                    "INSERT INTO customers (id, name, address, tags, scores) VALUES (?, ?, ?, ?, ?)",
                    7,
                    "Ada",
                    Json.of(new Address("Main St 1", "Oslo \"Norway\" \uD83E\uDDFA")),
                    Json.of(List.of("vip", "early")),
                    Json.of(Map.of("wash", 5)));
            // the server stored real JSON: its own JSON functions read it
            assertEquals(
                    "Oslo \"Norway\" \uD83E\uDDFA",
                    c.fetchOne("SELECT JSON_VALUE(address, '$.city') AS city" + " FROM customers WHERE id = 7")
                            .getString("city"));
            Row r = c.fetchOne("SELECT * FROM customers WHERE id = ?", 7);
            assertEquals(new Address("Main St 1", "Oslo \"Norway\" \uD83E\uDDFA"), r.getJson("address", Address.class));
            assertEquals("vip", r.getJson("tags", JsonNode.class).get(0).asText());
            Customer whole = r.as(Customer.class); // record, List<String> and Map<String, Integer> components
            assertEquals(
                    new Customer(
                            7,
                            "Ada",
                            new Address("Main St 1", "Oslo \"Norway\" \uD83E\uDDFA"),
                            List.of("vip", "early"),
                            Map.of("wash", 5)),
                    whole);
            assertTrue(r.getString("address").contains("Main St 1"), "still readable as plain text");
        }
    }

    @Test
    void genericComponentsAndJavaTimeThroughTheModulesOnTheClassPath() {
        record WithVisits(long id, List<Visit> visits) {}
        try (MySqlConnection c = withTable()) {
            c.execute(
                    "INSERT INTO customers (id, visits) VALUES (?, ?)",
                    1,
                    Json.of(List.of(new Visit(LocalDate.of(2026, 12, 7), 45))));
            WithVisits w = c.fetchOne("SELECT id, visits FROM customers").as(WithVisits.class);
            assertEquals(List.of(new Visit(LocalDate.of(2026, 12, 7), 45)), w.visits());
        }
    }

    @Test
    void nullsBadDocumentsAndWrongTypesAreNamed() {
        try (MySqlConnection c = withTable()) {
            c.execute("INSERT INTO customers (id, name, address) VALUES (1, 'Bob', NULL)");
            Row r = c.fetchOne("SELECT id, name, address, '{not json' AS broken FROM customers");
            assertNull(r.getJson("address", Address.class), "NULL is null");
            IllegalArgumentException bad =
                    assertThrows(IllegalArgumentException.class, () -> r.getJson("broken", Address.class));
            assertTrue(bad.getMessage().contains("column broken"), bad.getMessage());
            IllegalArgumentException notText =
                    assertThrows(IllegalArgumentException.class, () -> r.getJson("id", Address.class));
            assertTrue(notText.getMessage().contains("column id"), notText.getMessage());
            // the server refuses text that is not JSON in a JSON column, and the connection stays usable
            assertThrows(ServerError.class, () -> c.execute("INSERT INTO customers (id, address) VALUES (2, ?)", "{x"));
            assertEquals(1, c.fetchOne("SELECT COUNT(*) AS n FROM customers").getInt("n"));
            IllegalArgumentException unwritable =
                    assertThrows(IllegalArgumentException.class, () -> Json.of(new Object()));
            assertTrue(unwritable.getMessage().contains("java.lang.Object"), unwritable.getMessage());
        }
    }
}
