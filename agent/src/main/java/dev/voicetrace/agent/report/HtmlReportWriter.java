package dev.voicetrace.agent.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the page: the figures that are the same for every reader (totals, latency percentiles
 * and their distributions, the slowest turns, cost and usage, errors) as HTML and SVG, and the
 * turns as JSON data from which the page's script draws sessions, conversations and waterfalls on
 * demand. Everything is inline and a Content-Security-Policy forbids any request, so the page
 * works offline and cannot call out. All text from calls is escaped.
 */
final class HtmlReportWriter {

    private static final String[][] FIGURES = {
        {"stt_latency_ms", "STT latency"},
        {"llm_time_to_first_token_ms", "LLM time to first token"},
        {"tts_time_to_first_byte_ms", "TTS time to first byte"},
        {"voice_to_voice_ms", "Voice-to-voice"},
        {"llm_latency_ms", "LLM latency (first call start to last call end)"},
    };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    private final ReportData data;
    private final InputSummary input;
    private final Instant generated;

    HtmlReportWriter(ReportData data, InputSummary input, Instant generated) {
        this.data = data;
        this.input = input;
        this.generated = generated;
    }

    void write(Writer out, Path turnsFile) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.write("<meta http-equiv=\"Content-Security-Policy\" content=\"" + CONTENT_SECURITY_POLICY + "\">\n");
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.write("<title>Voicetrace report</title>\n<style>\n");
        copyResource(out, "report.css");
        out.write("</style>\n</head>\n<body>\n");
        header(out);
        overview(out);
        problems(out);
        latency(out);
        cost(out);
        failures(out);
        out.write("<section id=\"sessions\"><h2>Sessions</h2>\n<div class=\"controls\">"
                + "<input id=\"session-filter\" type=\"search\" placeholder=\"Filter by session id\" aria-label=\"Filter sessions\">"
                + " <span id=\"session-pager\" class=\"pager\"></span></div>\n"
                + "<table id=\"session-table\" class=\"data sortable\"><thead><tr>"
                + "<th data-key=\"id\">Session</th><th data-key=\"start\">Start</th><th data-key=\"duration\" class=\"num\">Duration</th>"
                + "<th data-key=\"turns\" class=\"num\">Turns</th><th data-key=\"tokens\" class=\"num\">Tokens</th>"
                + "<th data-key=\"cost\" class=\"num\">Cost</th><th data-key=\"errors\" class=\"num\">Errors</th>"
                + "<th data-key=\"interruptions\" class=\"num\">Interruptions</th></tr></thead><tbody></tbody></table>\n"
                + "<noscript><p>The sessions, conversations and waterfalls are drawn by the page's script: "
                + "allow JavaScript for this file to see them.</p></noscript></section>\n");
        out.write("<section id=\"conversation\" hidden><h2>Conversation</h2><div id=\"conversation-body\"></div></section>\n");
        out.write("<script type=\"application/json\" id=\"vt-data\">{\"sessions\":[");
        sessions(out);
        out.write("],\n\"turns\":[\n");
        try (Reader turns = Files.newBufferedReader(turnsFile, StandardCharsets.UTF_8)) {
            char[] buffer = new char[1 << 16];
            for (int n; (n = turns.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        }
        out.write("\n]}</script>\n<script>\n");
        copyResource(out, "report.js");
        out.write("</script>\n</body>\n</html>\n");
    }

    private void header(Writer out) throws IOException {
        out.write("<header><h1>Voicetrace report</h1><p class=\"meta\">Generated " + TIME.format(generated));
        if (data.lastEndNanos > 0 && data.firstStartNanos != Long.MAX_VALUE) {
            out.write(" &middot; calls from " + TIME.format(instant(data.firstStartNanos)) + " to "
                    + TIME.format(instant(data.lastEndNanos)));
        }
        out.write(" &middot; from ");
        List<String> names = new ArrayList<>();
        for (String file : input.files) {
            names.add(escape(file));
            if (names.size() == 5 && input.files.size() > 5) {
                names.add("and " + (input.files.size() - 5) + " more files");
                break;
            }
        }
        out.write(names.isEmpty() ? "no readable file" : String.join(", ", names));
        out.write("</p>\n<nav><a href=\"#overview\">Overview</a> <a href=\"#latency\">Latency</a> "
                + "<a href=\"#cost\">Cost and usage</a> <a href=\"#failures\">Errors</a> "
                + "<a href=\"#sessions\">Sessions</a></nav></header>\n");
    }

    private void overview(Writer out) throws IOException {
        out.write("<section id=\"overview\"><h2>Overview</h2><div class=\"cards\">");
        card(out, "count-sessions", "sessions", Integer.toString(data.sessions.size()), false);
        card(out, "count-turns", "turns", Integer.toString(data.turns), false);
        card(out, "count-observations", "observations", Long.toString(data.observations), false);
        card(out, "count-tokens", "tokens", tokens(data.tokens), false);
        card(out, "count-cost", "cost", usd(data.cost), false);
        card(out, "count-errors", "errors", Long.toString(data.errors), data.errors > 0);
        card(out, "count-interruptions", "interrupted calls", Long.toString(data.interruptions), data.interruptions > 0);
        if (data.incompleteTurns > 0) {
            card(out, "count-incomplete", "turns without their root span", Integer.toString(data.incompleteTurns), true);
        }
        out.write("</div>");
        if (data.turnsWithoutCallText > 0) {
            out.write("<p class=\"meta\" id=\"call-text-note\">The calls' inputs, outputs and parameters are kept for the "
                    + "first turns, up to " + (ReportData.CALL_TEXT_BUDGET >> 20) + " MB of text; for "
                    + data.turnsWithoutCallText + " later turns the page shows figures, the caller's words and the reply "
                    + "only. The events file has everything.</p>");
        }
        out.write("</section>\n");
    }

    private void problems(Writer out) throws IOException {
        if (input.problems() == 0) {
            return;
        }
        out.write("<section id=\"input-problems\" class=\"warning\"><h2>Input problems</h2><p>"
                + input.skippedLines() + " of " + input.lines() + " lines were skipped; the rest is reported.</p><ul>");
        for (String message : input.messages()) {
            out.write("<li>" + escape(message) + "</li>");
        }
        out.write("</ul></section>\n");
    }

    private void latency(Writer out) throws IOException {
        out.write("<section id=\"latency\"><h2>Latency across turns</h2>\n"
                + "<p class=\"meta\">Percentiles by the nearest-rank method: p90 is the smallest latency that at least "
                + "90% of the turns did not exceed. Only turns with the figure count.</p>\n"
                + "<table id=\"latency-table\" class=\"data\"><thead><tr><th>Figure</th><th class=\"num\">Turns</th>"
                + "<th class=\"num\">p50</th><th class=\"num\">p90</th><th class=\"num\">p99</th>"
                + "<th class=\"num\">Max</th></tr></thead><tbody>");
        for (String[] figure : FIGURES) {
            Percentiles samples = data.latencies.get(figure[0]);
            out.write("<tr data-metric=\"" + figure[0] + "\"><th>" + figure[1] + "</th><td class=\"num\" data-stat=\"count\">"
                    + samples.count() + "</td>");
            statCell(out, "p50", samples.percentile(50));
            statCell(out, "p90", samples.percentile(90));
            statCell(out, "p99", samples.percentile(99));
            statCell(out, "max", samples.max());
            out.write("</tr>");
        }
        out.write("</tbody></table>\n<div class=\"charts\">");
        for (int i = 0; i < 4; i++) {
            histogram(out, FIGURES[i][0], FIGURES[i][1], data.latencies.get(FIGURES[i][0]));
        }
        out.write("</div>\n<h3>Slowest turns" + (data.slowestByVoiceToVoice() ? " by voice-to-voice latency"
                : " by duration") + "</h3>\n<table id=\"slowest\" class=\"data\"><thead><tr><th class=\"num\">"
                + (data.slowestByVoiceToVoice() ? "Voice-to-voice" : "Duration")
                + "</th><th>Session</th><th>Caller said</th><th></th></tr></thead><tbody>");
        for (ReportData.Listed slow : data.slowestTurns()) {
            out.write("<tr><td class=\"num\">" + ms(slow.value) + "</td><td class=\"id\">" + escape(slow.session)
                    + "</td><td>" + escape(slow.text == null ? "" : slow.text) + "</td><td><a href=\"#turn-" + slow.turn
                    + "\">waterfall</a></td></tr>");
        }
        out.write("</tbody></table></section>\n");
    }

    private static void statCell(Writer out, String stat, double value) throws IOException {
        out.write("<td class=\"num\" data-stat=\"" + stat + "\"" + (Double.isNaN(value) ? "" : " data-value=\""
                + JsonText.format(value, 3) + "\"") + ">" + (Double.isNaN(value) ? "&ndash;" : ms(value)) + "</td>");
    }

    /** A distribution chart: equal bins from 0, the last one open-ended, with the percentiles marked. */
    private static void histogram(Writer out, String metric, String title, Percentiles samples) throws IOException {
        out.write("<figure class=\"chart\" data-metric=\"" + metric + "\"><figcaption>" + title + "</figcaption>");
        if (samples.count() == 0) {
            out.write("<p class=\"meta\">No turn has this figure.</p></figure>");
            return;
        }
        int bins = 30;
        double p99 = samples.percentile(99);
        double max = samples.max();
        double upper = niceCeiling(Math.min(max, Math.max(p99 * 1.5, samples.percentile(50) * 2)) * (1 + 1.0 / bins));
        int[] counts = samples.histogram(bins, upper);
        int highest = 1;
        for (int count : counts) {
            highest = Math.max(highest, count);
        }
        double width = 360;
        double height = 120;
        double left = 34;
        double bottom = 18;
        double plot = width - left - 6;
        double binWidth = plot / bins;
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg viewBox=\"0 0 ").append(fmt(width)).append(' ').append(fmt(height + bottom + 4))
                .append("\" role=\"img\" aria-label=\"").append(escape(title)).append(" distribution\">");
        svg.append("<text x=\"2\" y=\"10\" class=\"axis\">").append(highest).append("</text>");
        svg.append("<text x=\"2\" y=\"").append(fmt(height)).append("\" class=\"axis\">0</text>");
        for (int bin = 0; bin < bins; bin++) {
            if (counts[bin] == 0) {
                continue;
            }
            double h = counts[bin] * (height - 12) / highest;
            double from = upper * bin / bins;
            double to = upper * (bin + 1) / bins;
            svg.append("<rect class=\"hist\" x=\"").append(fmt(left + bin * binWidth + 0.5)).append("\" y=\"")
                    .append(fmt(height - h)).append("\" width=\"").append(fmt(binWidth - 1)).append("\" height=\"")
                    .append(fmt(h)).append("\"><title>").append(ms(from)).append(bin == bins - 1 ? " and more" : " to " + ms(to))
                    .append(": ").append(counts[bin]).append(counts[bin] == 1 ? " turn" : " turns").append("</title></rect>");
        }
        svg.append("<line class=\"axis-line\" x1=\"").append(fmt(left)).append("\" x2=\"").append(fmt(left + plot))
                .append("\" y1=\"").append(fmt(height)).append("\" y2=\"").append(fmt(height)).append("\"/>");
        svg.append("<text class=\"axis\" x=\"").append(fmt(left)).append("\" y=\"").append(fmt(height + 14)).append("\">0</text>");
        svg.append("<text class=\"axis\" text-anchor=\"end\" x=\"").append(fmt(left + plot)).append("\" y=\"")
                .append(fmt(height + 14)).append("\">").append(ms(upper)).append(max >= upper ? "+" : "").append("</text>");
        String[] names = {"p50", "p90", "p99"};
        double[] ps = {50, 90, 99};
        for (int i = 0; i < names.length; i++) {
            double value = samples.percentile(ps[i]);
            double x = left + Math.min(1, value / upper) * plot;
            svg.append("<line class=\"pct-line ").append(names[i]).append("\" x1=\"").append(fmt(x)).append("\" x2=\"")
                    .append(fmt(x)).append("\" y1=\"4\" y2=\"").append(fmt(height)).append("\"><title>").append(names[i])
                    .append(' ').append(ms(value)).append("</title></line>");
            svg.append("<text class=\"pct-label\" x=\"").append(fmt(x + 2)).append("\" y=\"").append(8 + i * 10)
                    .append("\">").append(names[i]).append("</text>");
        }
        svg.append("</svg>");
        out.write(svg.toString());
        out.write("</figure>");
    }

    private void cost(Writer out) throws IOException {
        out.write("<section id=\"cost\"><h2>Cost and usage</h2><div class=\"tables\">");
        usageTable(out, "cost-by-provider", "Provider", data.byProvider);
        usageTable(out, "cost-by-model", "Provider / model", data.byModel);
        usageTable(out, "cost-by-stage", "Stage", data.byStage);
        out.write("</div></section>\n");
    }

    private void usageTable(Writer out, String id, String label, Map<String, ReportData.UsageRow> rows) throws IOException {
        double total = 0;
        for (ReportData.UsageRow row : rows.values()) {
            total += row.cost;
        }
        out.write("<table id=\"" + id + "\" class=\"data usage\"><thead><tr><th>" + label + "</th><th class=\"num\">Calls</th>"
                + "<th class=\"num\">Tokens</th><th class=\"num\">Cost</th><th>Share</th><th class=\"num\">Errors</th>"
                + "<th class=\"num\">Mean time</th></tr></thead><tbody>");
        for (Map.Entry<String, ReportData.UsageRow> entry : rows.entrySet()) {
            ReportData.UsageRow row = entry.getValue();
            double share = total > 0 ? row.cost / total : 0;
            out.write("<tr" + (row.errors > 0 ? " class=\"has-error\"" : "") + "><td>"
                    + (id.equals("cost-by-stage") ? "<span class=\"swatch stage-" + escape(entry.getKey()) + "\"></span>" : "")
                    + escape(entry.getKey()) + "</td><td class=\"num\">" + row.calls + "</td><td class=\"num\">"
                    + tokens(row.tokens) + "</td><td class=\"num\">" + usd(row.cost) + "</td><td><span class=\"share\" style=\"width:"
                    + JsonText.format(share * 100, 1) + "%\"></span> " + JsonText.format(share * 100, 1)
                    + "%</td><td class=\"num\">" + row.errors + "</td><td class=\"num\">"
                    + ms(row.calls == 0 ? 0 : row.durationMs / row.calls) + "</td></tr>");
        }
        out.write("</tbody></table>");
    }

    private void failures(Writer out) throws IOException {
        out.write("<section id=\"failures\"><h2>Errors and interrupted calls</h2>");
        if (data.problems.isEmpty()) {
            out.write("<p>No call failed or was interrupted.</p></section>\n");
            return;
        }
        out.write("<table class=\"data\"><thead><tr><th>Session</th><th>Call</th><th>What happened</th><th></th></tr></thead><tbody>");
        for (ReportData.Listed problem : data.problems) {
            out.write("<tr class=\"has-error\"><td class=\"id\">" + escape(problem.session) + "</td><td>" + escape(problem.text)
                    + "</td><td>" + escape(problem.detail) + "</td><td><a href=\"#turn-" + problem.turn
                    + "\">waterfall</a></td></tr>");
        }
        out.write("</tbody></table>");
        if (data.errors + data.interruptions > data.problems.size()) {
            out.write("<p class=\"meta\">The first " + data.problems.size() + " of " + (data.errors + data.interruptions)
                    + " are listed; the sessions table shows them all.</p>");
        }
        out.write("</section>\n");
    }

    /** Sessions as arrays: id, start ms, duration ms, turns, tokens, cost, errors, interruptions, incomplete, service. */
    private void sessions(Writer out) throws IOException {
        boolean first = true;
        for (ReportData.SessionRow row : data.sessions.values()) {
            if (!first) {
                out.write(",\n");
            }
            first = false;
            out.write('[');
            JsonText.string(out, row.id);
            out.write(',');
            JsonText.number(out, row.startNanos == Long.MAX_VALUE ? 0 : row.startNanos / 1e6, 3);
            out.write(',');
            JsonText.number(out, row.startNanos == Long.MAX_VALUE ? 0 : (row.endNanos - row.startNanos) / 1e6, 3);
            out.write("," + row.turns + "," + row.tokens + ",");
            JsonText.number(out, row.cost, 9);
            out.write("," + row.errors + "," + row.interruptions + "," + row.incomplete + ",");
            JsonText.string(out, row.service);
            out.write(']');
        }
    }

    private static void card(Writer out, String id, String label, String value, boolean alert) throws IOException {
        out.write("<div class=\"card" + (alert ? " alert" : "") + "\"><span class=\"value\" id=\"" + id + "\">" + value
                + "</span><span class=\"label\">" + label + "</span></div>");
    }

    private static void copyResource(Writer out, String name) throws IOException {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream("/voicetrace/report/" + name)) {
            if (in == null) {
                throw new IOException("resource voicetrace/report/" + name + " is missing from the agent jar");
            }
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            char[] buffer = new char[8192];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        }
    }

    static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f ms", value);
    }

    static String usd(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "$%,.2f", value) : String.format(Locale.ROOT, "$%.6f", value);
    }

    static String tokens(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least the value. */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String fmt(double value) {
        return JsonText.format(value, 2);
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
    }

    /** Text as HTML: the five characters that could open markup or end an attribute are replaced. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement;
            switch (c) {
                case '<':
                    replacement = "&lt;";
                    break;
                case '>':
                    replacement = "&gt;";
                    break;
                case '&':
                    replacement = "&amp;";
                    break;
                case '"':
                    replacement = "&quot;";
                    break;
                case '\'':
                    replacement = "&#39;";
                    break;
                default:
                    replacement = null;
            }
            if (replacement != null) {
                if (escaped == null) {
                    escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                escaped.append(replacement);
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
