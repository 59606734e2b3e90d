package dev.voicetrace.agent.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void writesPlainDecimalsWithoutTrailingZeros() {
        assertEquals("400", Decimals.toJson(400.0));
        assertEquals("0.3", Decimals.toJson(0.1 + 0.2));
        assertEquals("1234.5", Decimals.toJson(1234.5));
        assertEquals("-2.5", Decimals.toJson(-2.5));
        assertEquals("0", Decimals.toJson(-0.0));
        assertEquals("0.00000001", Decimals.toJson(1e-8));
        assertEquals("0.000000075", Decimals.toJson(0.075 / 1_000_000));
        assertEquals("0", Decimals.toJson(1e-13), "below the 12th decimal rounds to zero");
    }

    @Test
    void fallsBackOutsideTheFixedRangeAndHasNoNonFiniteNumbers() {
        assertEquals(Double.toString(2.5e7), Decimals.toJson(2.5e7));
        assertEquals("null", Decimals.toJson(Double.NaN));
        assertEquals("null", Decimals.toJson(Double.POSITIVE_INFINITY));
    }

    @Test
    void staysWithinItsDecimalsOfTheValue() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12) - 6);
            double written = new BigDecimal(Decimals.toJson(value)).doubleValue();
            double tolerance = Math.abs(value) < 1e3 ? 1e-12 : 1e-9;
            assertEquals(value, written, tolerance + Math.ulp(value) * 4, () -> "value " + value);
        }
    }

    @Test
    void writesWhatTheRoundedValueIsAsAPlainDecimal() {
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(14) - 7);
            int decimals = Math.abs(value) < 1e3 ? 12 : 9;
            BigDecimal rounded = BigDecimal.valueOf(Math.round(Math.abs(value) * Math.pow(10, decimals)))
                    .movePointLeft(decimals);
            if (value < 0) {
                rounded = rounded.negate();
            }
            String expected = rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
            assertEquals(expected, Decimals.toJson(value), "value " + value);
        }
        assertEquals("999999.999999999", Decimals.toJson(999_999.999_999_999));
        assertEquals("1000000", Decimals.toJson(999_999.999_999_999_9));
    }

    @Test
    void writesInPlaceWhatItWritesAsAStringLeavingWhatIsBeforeIt() {
        Random random = new Random(13);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 8);
        }
        values[0] = Double.NaN;
        values[1] = -1.2345678901234567e-300;
        values[2] = -Double.MAX_VALUE;
        for (double value : values) {
            byte[] out = new byte[7 + Decimals.MAX_CHARS];
            java.util.Arrays.fill(out, (byte) 'x');
            int end = Decimals.write(value, out, 7);
            assertEquals("xxxxxxx" + Decimals.toJson(value),
                    new String(out, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1), () -> "value " + value);
        }
    }
}
