package dev.spindle.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.testng.ITestResult;
import org.testng.TestListenerAdapter;
import org.testng.TestNG;

/**
 * Runs the Reactive Streams TCK ({@link ToPublisherTckVerification}, TestNG) from JUnit, so that the build needs one
 * test provider only. Fails with the name and exception of every TCK rule that failed.
 */
class FlowPublisherTckTest {
    @Test
    void toPublisherPassesTheReactiveStreamsPublisherTck() {
        TestNG testng = new TestNG(false);
        testng.setTestClasses(new Class<?>[] {ToPublisherTckVerification.class});
        testng.setOutputDirectory("target/testng");
        testng.setVerbose(0);
        TestListenerAdapter results = new TestListenerAdapter();
        testng.addListener(results);
        testng.run();
        List<String> failed = results.getFailedTests().stream()
                .map(r -> r.getName() + ": " + r.getThrowable())
                .toList();
        assertEquals(List.of(), failed);
        List<String> configurationFailures = results.getConfigurationFailures().stream()
                .map(ITestResult::getName)
                .toList();
        assertEquals(List.of(), configurationFailures);
        assertTrue(
                results.getPassedTests().size() >= 20,
                "passed: " + results.getPassedTests().size());
        System.out.println("Reactive Streams TCK: " + results.getPassedTests().size() + " passed, "
                + results.getSkippedTests().size() + " skipped (untested or optional rules): "
                + results.getSkippedTests().stream().map(ITestResult::getName).toList());
    }
}
