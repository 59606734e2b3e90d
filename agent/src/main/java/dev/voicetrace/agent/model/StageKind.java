package dev.voicetrace.agent.model;

/** The three stages of a voice pipeline. */
public enum StageKind {
    /** Speech to text: audio in, transcript out. */
    STT,
    /** A language model call: messages in, a reply out. */
    LLM,
    /** Text to speech: text in, audio out. */
    TTS
}
