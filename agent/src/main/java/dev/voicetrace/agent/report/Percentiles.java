package dev.voicetrace.agent.report;

import java.util.Arrays;

/**
 * Latency samples of one figure across turns and their percentiles by the nearest-rank method:
 * the p-th percentile is the smallest sample that at least p% of the samples do not exceed, so
 * it is always a latency that was measured.
 */
final class Percentiles {

    private double[] values = new double[256];
    private int size;
    private double[] sorted;

    void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
        sorted = null;
    }

    int count() {
        return size;
    }

    /** The nearest-rank percentile, {@code 0 < p <= 100}; NaN without samples. */
    double percentile(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        double[] ordered = sorted();
        int rank = (int) Math.ceil(p / 100.0 * size);
        return ordered[Math.max(0, Math.min(size, rank) - 1)];
    }

    double min() {
        return size == 0 ? Double.NaN : sorted()[0];
    }

    double max() {
        return size == 0 ? Double.NaN : sorted()[size - 1];
    }

    double mean() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size;
    }

    /**
     * Counts per bin over {@code [0, upper)} in {@code bins} equal bins; samples at or above
     * {@code upper} land in the last bin, which the chart marks as open-ended.
     */
    int[] histogram(int bins, double upper) {
        int[] counts = new int[bins];
        for (int i = 0; i < size; i++) {
            int bin = upper <= 0 ? 0 : (int) (Math.max(0, values[i]) / upper * bins);
            counts[Math.min(bins - 1, bin)]++;
        }
        return counts;
    }

    private double[] sorted() {
        if (sorted == null) {
            sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
        }
        return sorted;
    }
}
