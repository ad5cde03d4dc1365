/**
 * The programs of the tutorial in {@code docs/tutorial/}, one class per program, each with a {@code main}.
 *
 * <p>The part of each file between the {@code // tutorial:begin} and {@code // tutorial:end} lines is what the
 * tutorial shows, character for character; {@code TutorialDocsTest} checks that, runs every program and compares its
 * output with the output the tutorial prints under it. A program whose {@code main} is just {@code run(X::func);}
 * runs there on virtual time (so its {@link dev.spindle.tutorial.Say} time stamps are exact).
 */
package dev.spindle.tutorial;
