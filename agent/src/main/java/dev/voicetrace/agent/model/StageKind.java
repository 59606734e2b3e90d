package dev.voicetrace.agent.model;

/** The three stages of a voice pipeline, and the tools a model call asks the application to run. */
public enum StageKind {
    /** Speech to text: audio in, transcript out. */
    STT,
    /** A language model call: messages in, a reply out. */
    LLM,
    /** Text to speech: text in, audio out. */
    TTS,
    /** A tool run for a model call: arguments in, result out; no model, usage or cost. */
    TOOL
}
