package dev.voicetrace.agent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.voicetrace.agent.capture.CallTracker;
import dev.voicetrace.agent.capture.ContextSessionReader;
import dev.voicetrace.agent.capture.InFlightCall;
import dev.voicetrace.agent.capture.OperationRegistry;
import dev.voicetrace.agent.langchain4j.LangChain4jInstrumentation;
import dev.voicetrace.agent.langchain4j.LangChain4jToolInstrumentation;
import dev.voicetrace.agent.springai.SpringAiToolInstrumentation;
import dev.voicetrace.agent.langchain4j.LangChain4jOperations;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.springai.SpringAiOperations;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.DefaultToolDefinition;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Framework tool executions as the advice reports them, with the frameworks' real request and
 * callback types: one call per execution however many of its methods it passes through, recorded
 * inside a framework call too, and read into a tool record (name, call id, arguments, result).
 */
class FrameworkToolCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<InFlightCall> finished = new CopyOnWriteArrayList<>();
    private final OperationRegistry registry = new OperationRegistry();
    private final CallTracker tracker;

    FrameworkToolCallsTest() {
        LangChain4jOperations.register(registry);
        SpringAiOperations.register(registry);
        tracker = new CallTracker(registry, finished::add, new ContextSessionReader("sessionId"));
    }

    private static StageRecord read(InFlightCall call) throws Exception {
        StageRecord record = new StageRecord();
        record.kind = call.spec().kind;
        call.spec().extractor.extract(call, record);
        return record;
    }

    @Test
    void aLangChain4jExecutionIsOneToolCallWithItsRequestAndResult() throws Exception {
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("call_Lq3vT9weather01").name("get_weather")
                .arguments("{\"city\":\"Lisbon\"}").build();
        Object handle = tracker.onEnterCall(LangChain4jToolInstrumentation.TOOL_KEY, new Object[] {request, null});
        assertNotNull(handle);
        // DefaultToolExecutor's executeWithContext calling its execute: the same execution.
        assertNull(tracker.onEnterCall(LangChain4jToolInstrumentation.TOOL_KEY, new Object[] {request, "memory"}));
        assertEquals("{\"temp_c\":21}", tracker.onExit(handle, "{\"temp_c\":21}", null));

        assertEquals(1, finished.size());
        InFlightCall call = finished.get(0);
        assertEquals(StageKind.TOOL, call.spec().kind);
        assertTrue(call.endEpochNanos() >= call.startEpochNanos);
        StageRecord record = read(call);
        assertEquals("get_weather", record.metadata.get("tool_name"));
        assertEquals("call_Lq3vT9weather01", record.metadata.get("tool_call_id"));
        assertEquals("observed", record.metadata.get("timing"));
        assertEquals(JSON.readTree("{\"city\":\"Lisbon\"}"), record.input);
        assertEquals(JSON.readTree("{\"temp_c\":21}"), record.output);

        // The next execution on the thread is its own again.
        Object next = tracker.onEnterCall(LangChain4jToolInstrumentation.TOOL_KEY, new Object[] {request, null});
        assertNotNull(next);
        tracker.onExit(next, null, new IllegalStateException("weather service down"));
        assertEquals(2, finished.size());
        assertTrue(finished.get(1).error() instanceof IllegalStateException, "a tool that throws fails its call");
    }

    @Test
    void aToolRunInsideAFrameworkCallIsStillRecorded() {
        Object chat = tracker.onEnterCall(LangChain4jInstrumentation.CHAT_KEY, new Object[] {"request"});
        assertNotNull(chat);
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("c1").name("lookup").arguments("{}").build();
        Object tool = tracker.onEnterCall(LangChain4jToolInstrumentation.TOOL_KEY, new Object[] {request, null});
        assertNotNull(tool, "a tool is the application's work, not the model call seen again");
        tracker.onExit(tool, "found", null);
        tracker.onExit(chat, null, null);
        assertEquals(StageKind.TOOL, finished.get(0).spec().kind);
    }

    @Test
    void aSpringAiCallbackIsNamedByItsDefinitionAndRecordedOnceThroughItsOverloads() throws Exception {
        ToolCallback callback = new ToolCallback() {
            @Override
            public ToolDefinition getToolDefinition() {
                return DefaultToolDefinition.builder().name("get_weather").description("Current weather")
                        .inputSchema("{\"type\":\"object\"}").build();
            }

            @Override
            public String call(String toolInput) {
                return "{\"city\":\"Lisbon\",\"temp_c\":21}";
            }
        };
        // The receiver, then the arguments, as the advice passes them.
        Object handle = tracker.onEnterCall(SpringAiToolInstrumentation.TOOL_KEY, callback,
                new Object[] {"{\"city\":\"Lisbon\"}", null});
        assertNotNull(handle);
        assertNull(tracker.onEnterCall(SpringAiToolInstrumentation.TOOL_KEY, callback, new Object[] {"{\"city\":\"Lisbon\"}"}),
                "call(String, ToolContext) calling call(String) is one execution");
        Object result = callback.call("{\"city\":\"Lisbon\"}");
        assertSame(result, tracker.onExit(handle, result, null));

        StageRecord record = read(finished.get(0));
        assertEquals("spring-ai", finished.get(0).spec().provider);
        assertEquals("get_weather", record.metadata.get("tool_name"));
        assertNull(record.metadata.get("tool_call_id"), "Spring AI does not hand the callback the call id");
        assertEquals(JSON.readTree("{\"city\":\"Lisbon\"}"), record.input);
        assertEquals(JSON.readTree("{\"city\":\"Lisbon\",\"temp_c\":21}"), record.output);
    }

    @Test
    void argumentsAndResultsThatAreNotJsonStayText() {
        assertEquals("sunny", ToolJson.fromText("sunny").asText());
        assertTrue(ToolJson.fromText("{not json").isTextual());
        assertTrue(ToolJson.fromText("[1,2]").isArray());
        assertNull(ToolJson.fromText(null));
    }
}
