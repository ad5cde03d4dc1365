package dev.spindle.tutorial;

// tutorial:begin
import dev.spindle.gen.Greenlet;

public class Greenlets {
    static Greenlet gr1;
    static Greenlet gr2;

    public static void main(String[] args) {
        gr1 = new Greenlet(arg -> {
            System.out.println(1);
            gr2.switchTo(); // step 2: hand over to gr2
            System.out.println(2);
            gr2.switchTo(); // step 4: gr2 resumes after its own switch
            return null;
        });
        gr2 = new Greenlet(arg -> {
            System.out.println(3);
            gr1.switchTo(); // step 3: back to gr1, just after its switch
            System.out.println(4);
            return null;
        });
        gr1.switchTo(); // step 1: start gr1
    }
}
// tutorial:end
