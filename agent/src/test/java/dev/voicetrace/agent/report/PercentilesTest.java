package dev.voicetrace.agent.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    private static Percentiles of(double... values) {
        Percentiles percentiles = new Percentiles();
        for (double value : values) {
            percentiles.add(value);
        }
        return percentiles;
    }

    @Test
    void nearestRankOnOneToAHundred() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values, new Random(7));
        Percentiles percentiles = new Percentiles();
        values.forEach(percentiles::add);

        assertEquals(50.0, percentiles.percentile(50));
        assertEquals(90.0, percentiles.percentile(90));
        assertEquals(99.0, percentiles.percentile(99));
        assertEquals(100.0, percentiles.percentile(100));
        assertEquals(1.0, percentiles.min());
        assertEquals(100.0, percentiles.max());
        assertEquals(50.5, percentiles.mean());
    }

    @Test
    void smallSamplesGiveMeasuredValues() {
        Percentiles four = of(306.5, 2323.6, 173.5, 502.7);
        assertEquals(306.5, four.percentile(50), "rank ceil(0.5 * 4) = 2");
        assertEquals(2323.6, four.percentile(90), "rank ceil(0.9 * 4) = 4");
        assertEquals(2323.6, four.percentile(99));

        Percentiles ten = of(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertEquals(5.0, ten.percentile(50));
        assertEquals(9.0, ten.percentile(90));
        assertEquals(10.0, ten.percentile(99));

        Percentiles one = of(42);
        assertEquals(42.0, one.percentile(50));
        assertEquals(42.0, one.percentile(99));
    }

    @Test
    void noSamplesNoPercentile() {
        Percentiles none = new Percentiles();
        assertTrue(Double.isNaN(none.percentile(50)));
        assertTrue(Double.isNaN(none.max()));
        assertEquals(0, none.count());
    }

    @Test
    void addingAfterReadingSortsAgain() {
        Percentiles percentiles = of(1, 2, 3);
        assertEquals(2.0, percentiles.percentile(50));
        percentiles.add(100);
        percentiles.add(200);
        assertEquals(3.0, percentiles.percentile(50));
        assertEquals(200.0, percentiles.max());
    }

    @Test
    void histogramPutsEverythingAtOrAboveTheTopInTheLastBin() {
        Percentiles percentiles = of(0, 5, 9.99, 10, 55, 99, 100, 1000, -3);
        assertArrayEquals(new int[] {4, 1, 0, 0, 0, 1, 0, 0, 0, 3}, percentiles.histogram(10, 100));
        int total = 0;
        for (int count : percentiles.histogram(7, 33)) {
            total += count;
        }
        assertEquals(percentiles.count(), total);
    }

    @Test
    void niceCeilingsForTheChartAxis() {
        assertEquals(500.0, HtmlReportWriter.niceCeiling(412));
        assertEquals(2.5, HtmlReportWriter.niceCeiling(2.1));
        assertEquals(1000.0, HtmlReportWriter.niceCeiling(1000));
        assertEquals(1.0, HtmlReportWriter.niceCeiling(0));
    }
}
