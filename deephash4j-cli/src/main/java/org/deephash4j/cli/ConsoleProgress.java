package org.deephash4j.cli;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deephash4j.util.ProgressListener;

/**
 * Shows core progress on standard error: a redrawn progress bar on a terminal; without one (CI,
 * pipes) a plain line every {@value #LOG_INTERVAL_MS} ms while a task runs, and one when it ends.
 */
final class ConsoleProgress implements ProgressListener {

    private static final long LOG_INTERVAL_MS = 10_000;

    private final boolean interactive = System.console() != null && System.console().isTerminal();
    private final AtomicLong done = new AtomicLong();
    private volatile ProgressBar bar;
    private volatile String task;
    private volatile long total;
    private volatile long startNanos;
    private volatile long lastLogNanos;
    private volatile String status;

    @Override
    public synchronized void start(String newTask, long newTotal) {
        finish();
        task = newTask;
        total = newTotal;
        done.set(0);
        status = null;
        startNanos = lastLogNanos = System.nanoTime();
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName(newTask).setInitialMax(newTotal).setStyle(ProgressBarStyle.ASCII)
                    .setMaxRenderedLength(100).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
    }

    @Override
    public void advance(long units) {
        long now = done.addAndGet(units);
        ProgressBar b = bar;
        if (b != null) {
            b.stepBy(units);
        } else if (task != null && System.nanoTime() - lastLogNanos > LOG_INTERVAL_MS * 1_000_000) {
            synchronized (this) {
                if (System.nanoTime() - lastLogNanos > LOG_INTERVAL_MS * 1_000_000) {
                    lastLogNanos = System.nanoTime();
                    System.err.println((total > 0
                            ? String.format(Locale.ROOT, "  %s: %d/%d (%.0f%%)", task, now, total, 100.0 * now / total)
                            : String.format(Locale.ROOT, "  %s: %d", task, now)) + statusSuffix());
                }
            }
        }
    }

    @Override
    public synchronized void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        } else if (task != null) {
            System.err.printf(Locale.ROOT, "  %s: done in %.1f s%s%n", task, (System.nanoTime() - startNanos) / 1e9, statusSuffix());
        }
        task = null;
    }

    @Override
    public void status(String text) {
        status = text;
        ProgressBar b = bar;
        if (b != null) {
            b.setExtraMessage(" " + text);
        }
    }

    private String statusSuffix() {
        String s = status;
        return s == null ? "" : ", " + s;
    }
}
