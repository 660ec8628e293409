package dev.jconv.exit;

import java.util.Arrays;

/**
 * Runs {@link ForwardWithoutClose} the way Maven's {@code exec:java} runs a program: in a thread group of its own, and
 * when main returns, every thread left in that group is interrupted and joined. exec:java waits 15 seconds for each
 * one that stays; this launcher waits {@value #JOIN_MILLIS} ms, lists the threads that stayed, and exits 3 if any did.
 */
public final class ContainerLikeLauncher {

    private static final long JOIN_MILLIS = 2000;

    private ContainerLikeLauncher() {}

    public static void main(String[] args) throws InterruptedException {
        ThreadGroup application = new ThreadGroup("application");
        Thread main = new Thread(application, () -> ForwardWithoutClose.main(args), "application-main");
        main.start();
        main.join();
        Thread[] left = new Thread[application.activeCount() + 8];
        int count = application.enumerate(left, true);
        Thread[] threads = Arrays.copyOf(left, count);
        for (Thread thread : threads) {
            thread.interrupt();
        }
        StringBuilder lingering = new StringBuilder();
        for (Thread thread : threads) {
            thread.join(JOIN_MILLIS);
            if (thread.isAlive()) {
                lingering.append(' ').append(thread.getName());
            }
        }
        if (lingering.length() > 0) {
            System.out.println("threads still alive after interrupt and " + JOIN_MILLIS + " ms:" + lingering);
            System.exit(3);
        }
        System.out.println("no thread left in the application's group");
    }
}
