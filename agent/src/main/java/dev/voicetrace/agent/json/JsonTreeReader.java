package dev.voicetrace.agent.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Reads one JSON document (RFC 8259, UTF-8) into a Jackson tree, with the node types Jackson's
 * own mapper gives: an integer as an int, a long or a big integer by its size, any other number
 * as a double.
 *
 * <p>Why not Jackson's streaming parser: every request and response body of a traced call is
 * read on the agent's processing thread, and in a voice application, a few calls a second, the
 * C2 compiler compiles the parser while the application runs. Jackson's parsers are built for
 * throughput (unrolled loops over four-byte groups of field names, a shared symbol table), and
 * theirs were the largest group of compilations the agent caused: the byte and the character
 * parser's {@code nextToken} (2.2 to 2.8 KB of bytecode inlined into 15 KB of code each) with the
 * tree builder over them, some 0.13 s of C2 time per run of a voice application; documents all
 * read by the byte parser brought its {@code parseLongName} instead (0.1 s, 34 KB of code). This
 * reader makes one pass over the bytes in a loop over values, keeps the open containers on a
 * stack of its own (nesting never reaches the thread's stack), and leaves the decoding of each
 * string to the JDK's decoder.
 *
 * <p>It reads what Jackson's parser reads and refuses what it refuses, but for two cases where
 * keeping the call's text serves better than losing the whole document: bytes that are not valid
 * UTF-8 inside a string become U+FFFD (the JDK decoder's replacement), and an escaped half of a
 * surrogate pair without its other half stays the character it names (Jackson refuses it in a
 * field name). A number longer than 1,000 characters is refused, as by Jackson's default
 * constraints, so that no document costs a quadratic number conversion.
 */
final class JsonTreeReader {

    /** Deeper documents are refused: no API's payload nests like this, and the tree would only grow. */
    private static final int MAX_DEPTH = 500;
    private static final int MAX_NUMBER_LENGTH = 1000;
    private static final JsonNodeFactory NODES = Json.NODES;
    /**
     * Field names as read before, by their bytes: an API's requests and responses use the same few
     * dozen names in every call ({@code role}, {@code content}, {@code usage}, ...), and a name
     * decoded anew each time was a string, its bytes and its hash per field, the largest share of
     * what reading a document allocated after the tree itself. A slot holds the last name whose
     * bytes hash to it; a name is only ever replaced by another, so the table stays this small
     * whatever the documents hold. Read and written without locks by any thread that reads JSON:
     * a String is immutable and safely published, so a thread sees either some name that it then
     * compares, or null.
     */
    private static final String[] KNOWN_NAMES = new String[512];
    /** Longer names, or names with escapes or beyond ASCII, are decoded each time. */
    private static final int MAX_KNOWN_NAME_LENGTH = 40;

    private final byte[] in;
    private final int end;
    private int at;

    private JsonTreeReader(byte[] in, int offset, int length) {
        this.in = in;
        this.at = offset;
        this.end = offset + length;
    }

    /** The document's tree; null when the input holds nothing but white space. */
    static JsonNode read(byte[] in, int offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset > in.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + in.length);
        }
        return new JsonTreeReader(in, offset, length).document();
    }

    private JsonNode document() throws IOException {
        if (end - at >= 3 && in[at] == (byte) 0xEF && in[at + 1] == (byte) 0xBB && in[at + 2] == (byte) 0xBF) {
            at += 3; // a byte order mark, which some writers put before UTF-8 text
        }
        skipWhiteSpace();
        if (at == end) {
            return null;
        }
        JsonNode root = values();
        skipWhiteSpace();
        if (at != end) {
            throw error("trailing content after the JSON value");
        }
        return root;
    }

    /**
     * The value at the current position, containers included: each value read is added to the
     * innermost open container, and after it comes a separator, the end of that container, or,
     * with no container open, the end of the value.
     */
    private JsonNode values() throws IOException {
        ContainerNode<?>[] open = new ContainerNode<?>[8];
        boolean[] isObject = new boolean[8];
        int depth = 0;
        JsonNode root = null;
        String name = null;
        // A field's name is read at one place, the top of the loop, not where an object opens and
        // after each comma: C2 inlines a helper's code once per call site.
        boolean nameFirst = false;
        while (true) {
            skipWhiteSpace();
            if (nameFirst) {
                name = fieldName();
                skipWhiteSpace();
            }
            if (at == end) {
                throw error("unexpected end of input, a value expected");
            }
            byte first = in[at];
            JsonNode value;
            boolean opens = first == '{' || first == '[';
            if (opens) {
                at++;
                value = first == '{' ? NODES.objectNode() : NODES.arrayNode();
            } else {
                value = scalar(first);
            }
            if (depth == 0) {
                root = value;
            } else if (isObject[depth - 1]) {
                ((ObjectNode) open[depth - 1]).set(name, value);
            } else {
                ((ArrayNode) open[depth - 1]).add(value);
            }
            if (opens) {
                if (depth == MAX_DEPTH) {
                    throw error("JSON nested deeper than " + MAX_DEPTH);
                }
                if (depth == open.length) {
                    open = java.util.Arrays.copyOf(open, depth * 2);
                    isObject = java.util.Arrays.copyOf(isObject, depth * 2);
                }
                open[depth] = (ContainerNode<?>) value;
                isObject[depth] = first == '{';
                depth++;
            }
            // What follows: after an opening, its end or its first item; after a value, the ends
            // of the containers it completes, then a separator or, with none open, the end.
            boolean next = false;
            boolean afterOpening = opens;
            while (!next) {
                if (depth == 0) {
                    return root;
                }
                skipWhiteSpace();
                if (at == end) {
                    throw error("unexpected end of input, " + (afterOpening ? "a value" : "','")
                            + " or the container's end expected");
                }
                byte following = in[at];
                boolean object = isObject[depth - 1];
                if (following == (object ? (byte) '}' : (byte) ']')) {
                    at++;
                    open[--depth] = null;
                    afterOpening = false;
                } else if (afterOpening || following == ',') {
                    if (!afterOpening) {
                        at++;
                    }
                    nameFirst = object;
                    next = true;
                } else {
                    throw error("unexpected character " + describe(following) + ", ',' or '" + (object ? '}' : ']')
                            + "' expected");
                }
            }
        }
    }

    /** A field's name and the colon after it; white space before it already skipped. */
    private String fieldName() throws IOException {
        if (at == end || in[at] != '"') {
            throw error(at == end ? "unexpected end of input, a field name expected"
                    : "unexpected character " + describe(in[at]) + ", a field name expected");
        }
        String name = knownName();
        if (name == null) {
            name = string();
        }
        skipWhiteSpace();
        if (at == end || in[at] != ':') {
            throw error("':' expected after the field name");
        }
        at++;
        return name;
    }

    /**
     * The field name whose opening quote is at the current position, past its closing quote, when
     * it is short plain ASCII: the same String as the last time these bytes were read as a name
     * (see {@link #KNOWN_NAMES}). Null, the position unchanged, for any other name.
     */
    private String knownName() {
        int start = at + 1;
        int limit = Math.min(end, start + MAX_KNOWN_NAME_LENGTH);
        int hash = 0;
        for (int i = start; i < limit; i++) {
            byte b = in[i];
            if (b == '"') {
                int length = i - start;
                int slot = (hash ^ (hash >>> 9)) & (KNOWN_NAMES.length - 1);
                String known = KNOWN_NAMES[slot];
                if (known == null || !spells(known, start, length)) {
                    known = new String(in, start, length, StandardCharsets.ISO_8859_1);
                    KNOWN_NAMES[slot] = known;
                }
                at = i + 1;
                return known;
            }
            // A negative byte is one beyond ASCII; both it and a control character go the long way.
            if (b == '\\' || b < 0x20) {
                return null;
            }
            hash = 31 * hash + b;
        }
        return null;
    }

    /** Whether the {@code length} ASCII bytes of the input from {@code start} spell {@code text}. */
    private boolean spells(String text, int start, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) != in[start + i]) {
                return false;
            }
        }
        return true;
    }

    private JsonNode scalar(byte first) throws IOException {
        switch (first) {
            case '"':
                return NODES.textNode(string());
            case 't':
                literal("true");
                return NODES.booleanNode(true);
            case 'f':
                literal("false");
                return NODES.booleanNode(false);
            case 'n':
                literal("null");
                return NODES.nullNode();
            default:
                if (first == '-' || (first >= '0' && first <= '9')) {
                    return number();
                }
                throw error("unexpected character " + describe(first) + ", a value expected");
        }
    }

    private void literal(String word) throws IOException {
        int length = word.length();
        if (end - at < length) {
            throw error("unexpected end of input in '" + word + "'");
        }
        for (int i = 0; i < length; i++) {
            if (in[at + i] != word.charAt(i)) {
                throw error("unrecognised literal, '" + word + "' expected");
            }
        }
        at += length;
    }

    private JsonNode number() throws IOException {
        int start = at;
        boolean negative = in[at] == '-';
        if (negative) {
            at++;
        }
        int digitsStart = at;
        if (at < end && in[at] == '0') {
            at++;
            if (at < end && isDigit(in[at])) {
                throw error("a number with a leading zero");
            }
        } else if (!skipDigits()) {
            throw error("a digit expected in a number");
        }
        int integerDigits = at - digitsStart;
        boolean integral = true;
        if (at < end && in[at] == '.') {
            integral = false;
            at++;
            if (!skipDigits()) {
                throw error("a digit expected after the decimal point");
            }
        }
        if (at < end && (in[at] == 'e' || in[at] == 'E')) {
            integral = false;
            at++;
            if (at < end && (in[at] == '+' || in[at] == '-')) {
                at++;
            }
            if (!skipDigits()) {
                throw error("a digit expected in the exponent");
            }
        }
        if (at - start > MAX_NUMBER_LENGTH) {
            throw error("a number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        if (!integral) {
            return NODES.numberNode(Double.parseDouble(new String(in, start, at - start, StandardCharsets.ISO_8859_1)));
        }
        if (integerDigits <= 18) {
            long magnitude = 0;
            for (int i = digitsStart; i < at; i++) {
                magnitude = magnitude * 10 + (in[i] - '0');
            }
            long value = negative ? -magnitude : magnitude;
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        }
        BigInteger value = new BigInteger(new String(in, start, at - start, StandardCharsets.ISO_8859_1));
        return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    /** Skips decimal digits; whether there was one. */
    private boolean skipDigits() {
        int from = at;
        while (at < end && isDigit(in[at])) {
            at++;
        }
        return at > from;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * The string whose opening quote is at the current position. A run without escapes is
     * decoded in one call (as Latin-1 when it is ASCII, the cheapest decoding); escapes split the
     * text into runs, which a multi-byte character never spans (its bytes are all above 0x7F).
     */
    private String string() throws IOException {
        int start = ++at;
        boolean ascii = true;
        while (at < end) {
            byte b = in[at];
            if (b == '"') {
                at++;
                return decode(start, at - 1, ascii);
            }
            if (b == '\\') {
                return escapedString(start, ascii);
            }
            if (b >= 0 && b < 0x20) {
                throw error("a control character " + describe(b) + " in a string, where it must be escaped");
            }
            ascii &= b >= 0;
            at++;
        }
        throw error("unexpected end of input in a string");
    }

    /** The rest of a string from its first escape on; {@code start} is where its text begins. */
    private String escapedString(int start, boolean ascii) throws IOException {
        StringBuilder text = new StringBuilder(at - start + 16);
        text.append(decode(start, at, ascii));
        while (true) {
            // At a backslash.
            if (end - at < 2) {
                throw error("unexpected end of input in an escape");
            }
            byte escaped = in[at + 1];
            at += 2;
            switch (escaped) {
                case '"': text.append('"'); break;
                case '\\': text.append('\\'); break;
                case '/': text.append('/'); break;
                case 'b': text.append('\b'); break;
                case 'f': text.append('\f'); break;
                case 'n': text.append('\n'); break;
                case 'r': text.append('\r'); break;
                case 't': text.append('\t'); break;
                case 'u': text.append(hexCharacter()); break;
                default:
                    at -= 2;
                    throw error("an unknown escape \\" + (char) (escaped & 0xFF));
            }
            int run = at;
            boolean runAscii = true;
            while (true) {
                if (at == end) {
                    throw error("unexpected end of input in a string");
                }
                byte b = in[at];
                if (b == '"' || b == '\\') {
                    break;
                }
                if (b >= 0 && b < 0x20) {
                    throw error("a control character " + describe(b) + " in a string, where it must be escaped");
                }
                runAscii &= b >= 0;
                at++;
            }
            text.append(decode(run, at, runAscii));
            if (in[at] == '"') {
                at++;
                return text.toString();
            }
        }
    }

    /** The character of the four hexadecimal digits at the current position (one half of a pair stays as it is). */
    private char hexCharacter() throws IOException {
        if (end - at < 4) {
            throw error("unexpected end of input in a \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = hexDigit(in[at + i]);
            if (digit < 0) {
                throw error("a \\u escape with a character that is not a hexadecimal digit");
            }
            value = value * 16 + digit;
        }
        at += 4;
        return (char) value;
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private String decode(int from, int to, boolean ascii) {
        if (from == to) {
            return "";
        }
        return new String(in, from, to - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private void skipWhiteSpace() {
        while (at < end) {
            byte b = in[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }

    private static String describe(byte b) {
        int code = b & 0xFF;
        return code >= 0x20 && code < 0x7F ? "'" + (char) code + "'" : String.format("0x%02X", code);
    }

    private IOException error(String what) {
        return new IOException(what + " at byte " + at);
    }
}
