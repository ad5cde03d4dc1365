package dev.spindle.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.MethodModel;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DeclarationOrder reads methods from the class file by hand: the same list as the JDK's class-file API gives. */
class DeclarationOrderTest {
    static final class Routes {
        static final long BIG = 1L << 40; // a long constant: two pool entries
        static final double HALF = 0.5;
        final String é = "non-ASCII names are modified UTF-8";

        void zebra() {}

        String apple(int a, long b) {
            return é + a + b + BIG + HALF;
        }

        Runnable mango() {
            return () -> System.out.println(Math.PI);
        }

        void ünïcode(String s) {}
    }

    @Test
    void sameMethodsAsTheClassFileApi() throws Exception {
        for (Class<?> c : List.of(
                Routes.class, DeclarationOrder.class, Readers.class, ModelInfo.class, String.class, Math.class)) {
            byte[] bytes;
            try (InputStream in =
                    c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
                bytes = in.readAllBytes();
            }
            List<String> expected = new ArrayList<>();
            for (MethodModel m : ClassFile.of().parse(bytes).methods()) {
                expected.add(m.methodName().stringValue() + m.methodType().stringValue());
            }
            assertEquals(expected, DeclarationOrder.methodKeys(bytes), c.getName());
        }
    }

    @Test
    void methodsSortInSourceOrder() throws Exception {
        List<Method> methods = new ArrayList<>();
        for (String name : List.of("ünïcode", "apple", "zebra", "mango")) {
            for (Method m : Routes.class.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    methods.add(m);
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Method m : DeclarationOrder.of(Routes.class, methods)) {
            names.add(m.getName());
        }
        assertEquals(List.of("zebra", "apple", "mango", "ünïcode"), names);
    }
}
