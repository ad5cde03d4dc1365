package dev.spindle.laundromat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.testservers.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page in headless Chromium: it draws the machines from the live feed, signs a customer in through its form
 * (registering the name), starts a wash with its button, and the machine is seen filling (WASHING, a water level)
 * and then emptying (FREE) on screen; a screenshot of the washing machine is left in
 * target/laundromat-page.png.
 */
class PageChromiumTest {
    static RedisServer redis;
    static Laundromat shop;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        shop = Laundromat.start(Servers.config(redis).speed(60).build()); // a wash minute is a real second
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static final String SIGN_IN_AND_START = """
            (async () => {
              const sleep = ms => new Promise(r => setTimeout(r, ms));
              const until = async (what, f) => {
                for (let i = 0; i < 600; i++) { if (f()) return; await sleep(100); }
                throw new Error('never: ' + what + ' | ' + document.getElementById('log').innerText);
              };
              await until('ten machines drawn', () => document.querySelectorAll('.machine').length === 10);
              await until('the live feed', () => document.getElementById('live').textContent.startsWith('live'));
              document.getElementById('name').value = 'chromium';
              document.getElementById('password').value = 'chromium-password';
              document.getElementById('signin-button').click();
              await until('signed in', () => document.getElementById('who').textContent.includes('signed in as chromium'));
              document.getElementById('program').value = 'delicates';
              document.getElementById('minutes').value = '8';
              document.getElementById('machine').value = '4';
              document.getElementById('start-button').click();
              const m = () => document.getElementById('machine-4');
              await until('machine 4 washing', () => m().dataset.state === 'WASHING');
              await sleep(1500); // let the water level fall a little for the screenshot
              const water = m().querySelector('.water').style.height;
              return m().dataset.state + '|' + m().querySelector('.detail').textContent + '|' + water;
            })()
            """;

    static final String AWAIT_EMPTY = """
            (async () => {
              const sleep = ms => new Promise(r => setTimeout(r, ms));
              const m = document.getElementById('machine-4');
              for (let i = 0; i < 600 && m.dataset.state !== 'FREE'; i++) await sleep(100);
              // the ready notification comes through the Redis stream's consumers, just after
              const log = () => document.getElementById('log').innerText;
              for (let i = 0; i < 600 && !log().includes('is ready'); i++) await sleep(100);
              return m.dataset.state + '|' + m.querySelector('.water').style.height + '|'
                  + document.getElementById('log').innerText;
            })()
            """;

    @Test
    void aWashStartedFromThePageIsSeenFillingAndEmptying() throws Exception {
        try (Chromium chromium = new Chromium(shop.baseUrl() + "/")) {
            String[] washing = chromium.evaluate(SIGN_IN_AND_START).split("\\|");
            assertEquals("WASHING", washing[0], String.join("|", washing));
            assertTrue(washing[1].startsWith("delicates · "), washing[1]);
            int level = Integer.parseInt(washing[2].replace("%", ""));
            assertTrue(level > 15 && level < 100, "water level " + washing[2]);
            assertTrue(chromium.screenshot(Path.of("target", "laundromat-page.png")) > 10_000);

            // the server agrees with the screen
            assertEquals(
                    "WASHING",
                    new Http(shop.baseUrl())
                            .get("/machines/4", null)
                            .json()
                            .get("state")
                            .asText());

            String[] empty = chromium.evaluate(AWAIT_EMPTY).split("\\|", 3);
            assertEquals("FREE", empty[0], String.join("|", empty));
            assertEquals("0%", empty[1]);
            assertTrue(empty[2].contains("is ready"), empty[2]);
            chromium.screenshot(Path.of("target", "laundromat-page-after.png"));
        }
    }
}
