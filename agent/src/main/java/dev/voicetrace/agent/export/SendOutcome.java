package dev.voicetrace.agent.export;

/** What became of one batch handed to a {@link BatchSender}. */
public enum SendOutcome {
    /** The server accepted the batch (individual items may still have been rejected and counted). */
    DELIVERED,
    /** The server refused the batch for good (a 4xx other than 408/429); its items are counted failed. */
    REFUSED,
    /** The server could not be reached or kept failing; the batch is intact and may be sent again. */
    UNAVAILABLE
}
