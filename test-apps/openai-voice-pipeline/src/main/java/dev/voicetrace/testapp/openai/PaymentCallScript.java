package dev.voicetrace.testapp.openai;

/**
 * A caller who pays by phone: she reads out her card number, e-mail address and phone number, the
 * model takes the payment through a tool whose arguments carry them, repeats them back, and a
 * refund request fails with an error message that quotes them. Served by {@link MockOpenAiServer};
 * played by {@link PaymentCallApp}. The values are test data: a card number that passes the Luhn
 * check but is the well-known test number, a reserved example domain and a drama phone number.
 */
public final class PaymentCallScript {

    public static final String CARD = "4111 1111 1111 1111";
    public static final String EMAIL = "ana.silva@example.com";
    public static final String PHONE = "+44 20 7946 0958";

    public static final String UTTERANCE = "Hi, I would like to pay my bill. My card number is " + CARD
            + ", my e-mail is " + EMAIL + " and you can call me back on " + PHONE + ".";
    public static final String PAYMENT_TOOL = "take_payment";
    public static final String TOOL_ARGUMENTS = "{\"card_number\":\"" + CARD + "\",\"email\":\"" + EMAIL
            + "\",\"phone\":\"" + PHONE + "\",\"amount_eur\":42.5}";
    public static final String TOOL_RESULT = "{\"status\":\"approved\",\"receipt_sent_to\":\"" + EMAIL + "\"}";
    public static final String REPLY = "Thank you. I charged 42.50 euros to card " + CARD + ", sent the receipt to "
            + EMAIL + " and noted " + PHONE + " for a call back.";
    /** A second request whose answer is an error quoting the caller's details. */
    public static final String REFUND_REQUEST = "Please refund the payment on card " + CARD + ".";
    public static final String REFUND_ERROR = "Refund refused: card " + CARD + " of " + EMAIL + " (" + PHONE
            + ") has no settled payment yet.";

    private PaymentCallScript() {}
}
