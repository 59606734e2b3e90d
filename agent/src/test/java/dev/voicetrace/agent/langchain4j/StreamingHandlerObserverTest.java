package dev.voicetrace.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.model.StageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The streaming handler proxy: the application's handler sees everything, the call notes tokens, end and error. */
class StreamingHandlerObserverTest {

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final CallTracker tracker;

    StreamingHandlerObserverTest() {
        OperationRegistry registry = new OperationRegistry();
        LangChain4jOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    /** An application handler that overrides only the two abstract methods and the one-string partial. */
    static final class RecordingHandler implements StreamingChatResponseHandler {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onPartialResponse(String partialResponse) {
            seen.add("partial:" + partialResponse);
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            seen.add("complete:" + completeResponse.aiMessage().text());
        }

        @Override
        public void onError(Throwable error) {
            seen.add("error:" + error.getMessage());
        }
    }

    private static final dev.langchain4j.model.chat.response.StreamingHandle NO_CANCEL =
            new dev.langchain4j.model.chat.response.StreamingHandle() {
                @Override
                public void cancel() {}

                @Override
                public boolean isCancelled() {
                    return false;
                }
            };

    private static ChatRequest request() {
        return ChatRequest.builder().messages(UserMessage.from("Tell me about Porto.")).build();
    }

    @Test
    void partialsAndTheCompleteResponseReachBothTheApplicationAndTheCall() throws Exception {
        RecordingHandler application = new RecordingHandler();
        Object[] arguments = {request(), application};
        Object handle = tracker.onEnterCall(LangChain4jInstrumentation.STREAMING_CHAT_KEY, arguments);
        StreamingChatResponseHandler proxy = (StreamingChatResponseHandler) arguments[1];
        assertNotSame(application, proxy);
        assertNull(tracker.onExit(handle, null, null));
        assertTrue(finished.isEmpty(), "a stream ends through its handler, not when chat returns");

        proxy.onPartialResponse(new PartialResponse("Porto is "), new PartialResponseContext(NO_CANCEL));
        Thread.sleep(2);
        proxy.onPartialResponse("famous for port wine.");
        ChatResponse complete = ChatResponse.builder()
                .aiMessage(AiMessage.from("Porto is famous for port wine."))
                .tokenUsage(new TokenUsage(12, 7))
                .build();
        proxy.onCompleteResponse(complete);

        assertEquals(List.of("partial:Porto is ", "partial:famous for port wine.",
                "complete:Porto is famous for port wine."), application.seen);
        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertSame(complete, call.response());
        assertEquals(2, call.streamItems().size());
        assertTrue(call.firstOutputEpochNanos() > 0 && call.firstOutputEpochNanos() == call.streamItemTime(0));

        StageRecord record = new StageRecord();
        record.provider = "langchain4j";
        call.spec().extractor.extract(call, record);
        assertEquals("Tell me about Porto.", record.inputText);
        assertEquals("Porto is famous for port wine.", record.outputText);
        assertEquals(19L, record.usage.get("total"));
        assertEquals(call.streamItemTime(0), record.firstOutputEpochNanos);
    }

    @Test
    void anErrorFailsTheCallAndReachesTheApplication() throws Exception {
        RecordingHandler application = new RecordingHandler();
        Object[] arguments = {request(), application};
        Object handle = tracker.onEnterCall(LangChain4jInstrumentation.STREAMING_CHAT_KEY, arguments);
        tracker.onExit(handle, null, null);
        StreamingChatResponseHandler proxy = (StreamingChatResponseHandler) arguments[1];

        proxy.onPartialResponse("Porto ");
        proxy.onError(new IllegalStateException("connection reset"));

        assertEquals(List.of("partial:Porto ", "error:connection reset"), application.seen);
        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals("connection reset", call.error().getMessage());
        StageRecord record = new StageRecord();
        call.spec().extractor.extract(call, record);
        assertEquals("Porto ", record.outputText, "a broken stream keeps the text it delivered");
        assertEquals(proxy, proxy);
        assertEquals(System.identityHashCode(proxy), proxy.hashCode());
    }

    @Test
    void theRequestDoChatReceivesGivesTheModelsDefaultsAndDoChatAloneIsNoCall() throws Exception {
        ChatRequest merged = ChatRequest.builder().messages(UserMessage.from("Tell me about Porto."))
                .parameters(dev.langchain4j.model.chat.request.DefaultChatRequestParameters.builder()
                        .modelName("gpt-4o-mini").temperature(0.3).maxOutputTokens(200).build())
                .build();
        ChatResponse response = ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();

        Object outer = tracker.onEnterCall(LangChain4jInstrumentation.CHAT_KEY, new Object[] {request()});
        assertNull(tracker.onEnterCall(LangChain4jInstrumentation.DO_CHAT_KEY, new Object[] {merged}));
        tracker.onExit(outer, response, null);

        assertEquals(1, finished.size());
        StageRecord record = new StageRecord();
        finished.get(0).spec().extractor.extract(finished.get(0), record);
        assertEquals("gpt-4o-mini", record.model);
        assertEquals(0.3, record.modelParameters.get("temperature"));
        assertEquals(200, record.modelParameters.get("max_output_tokens"));
        assertEquals("Tell me about Porto.", record.inputText);

        assertNull(tracker.onEnterCall(LangChain4jInstrumentation.DO_CHAT_KEY, new Object[] {merged}),
                "doChat called on its own is not a call the agent records");
        assertEquals(1, finished.size());
    }

    @Test
    void blockingCallsEndWithTheirResponseAndNestedCallsAreNotRecordedTwice() {
        ChatResponse response = ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
        Object outer = tracker.onEnterCall(LangChain4jInstrumentation.CHAT_KEY, new Object[] {request()});
        Object inner = tracker.onEnterCall(LangChain4jInstrumentation.CHAT_KEY, new Object[] {request(), null});
        assertNull(inner, "chat(request) funnelling into chat(request, options) is one call");
        assertSame(response, tracker.onExit(outer, response, null));
        assertEquals(1, finished.size());
        assertSame(response, finished.get(0).response());
    }
}
