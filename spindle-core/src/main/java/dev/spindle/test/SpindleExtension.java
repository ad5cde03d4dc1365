package dev.spindle.test;

import dev.spindle.task.internal.Sneaky;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link SpindleTest}: makes a {@link TestLoop} per test method with the options of the
 * nearest {@code @SpindleTest}, runs the method's invocation as the loop's main coroutine (named after the method) with
 * {@link TestLoop#run}, and resolves {@link TestLoop} parameters of test methods to that loop. Use it through the
 * annotation, or with {@code @ExtendWith(SpindleExtension.class)} for the default options.
 *
 * {@snippet :
 * @ExtendWith(SpindleExtension.class)
 * class QueueTest { ... }
 * }
 */
public final class SpindleExtension implements InvocationInterceptor, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SpindleExtension.class);

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) {
        runOnLoop(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) {
        runOnLoop(invocation, context);
    }

    private static void runOnLoop(Invocation<Void> invocation, ExtensionContext context) {
        TestLoop loop = loopFor(context);
        loop.run(context.getRequiredTestMethod().getName(), () -> {
            try {
                return invocation.proceed();
            } catch (Throwable e) {
                throw Sneaky.rethrow(e);
            }
        });
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestLoop.class
                && parameter.getDeclaringExecutable() instanceof Method
                && context.getTestMethod().isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return loopFor(context);
    }

    /** The test method's loop, made on first use; JUnit closes it with the method's context if the run did not. */
    private static TestLoop loopFor(ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestLoop.class, k -> TestLoop.create(options(context)), TestLoop.class);
    }

    /** The options of the nearest {@code @SpindleTest}: on the method, its class, or an enclosing class. */
    static TestOptions options(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.isPresent()) {
                Optional<SpindleTest> found = AnnotationSupport.findAnnotation(element.get(), SpindleTest.class);
                if (found.isPresent()) {
                    return options(found.get());
                }
            }
        }
        return TestOptions.defaults();
    }

    private static TestOptions options(SpindleTest a) {
        return new TestOptions(
                a.time(),
                Duration.ofMillis(a.autoJumpThresholdMillis()),
                Duration.ofMillis(a.slowStepMillis()),
                Duration.ofMillis(a.timeoutMillis()));
    }
}
