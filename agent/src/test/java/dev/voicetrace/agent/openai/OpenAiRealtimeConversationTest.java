package dev.voicetrace.agent.openai;

import static dev.voicetrace.agent.realtime.SocketScript.base64Audio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.voicetrace.agent.cost.PriceTable;
import dev.voicetrace.agent.link.IdGenerator;
import dev.voicetrace.agent.link.LinkedObservation;
import dev.voicetrace.agent.link.Linker;
import dev.voicetrace.agent.model.StageKind;
import dev.voicetrace.agent.model.StageRecord;
import dev.voicetrace.agent.realtime.SocketProtocol;
import dev.voicetrace.agent.realtime.SocketScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI Realtime conversation (GA event shapes, as in openai-python's
 * {@code types/realtime}) fed frame by frame through the socket observer: a turn with a function
 * call and its follow-up, a barge-in, an error event, faults.
 */
class OpenAiRealtimeConversationTest {

    private static final String SESSION_UPDATE = "{'type':'session.update','session':{'type':'realtime',"
            + "'model':'gpt-realtime','instructions':'You are a concise travel assistant.',"
            + "'output_modalities':['audio'],'audio':{'input':{'format':{'type':'audio/pcm','rate':24000},"
            + "'transcription':{'model':'gpt-4o-transcribe','language':'en'},"
            + "'turn_detection':{'type':'server_vad','threshold':0.5,'prefix_padding_ms':300,'silence_duration_ms':500}},"
            + "'output':{'format':{'type':'audio/pcm','rate':24000},'voice':'marin'}},"
            + "'tools':[{'type':'function','name':'get_weather','description':'Current weather in a city',"
            + "'parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}],"
            + "'tool_choice':'auto'}}";
    private static final String SESSION_CREATED = "{'type':'session.created','event_id':'event_C1','session':{"
            + "'type':'realtime','object':'realtime.session','id':'sess_C9abc','model':'gpt-realtime-2025-08-28',"
            + "'output_modalities':['audio'],'instructions':'','tools':[],'tool_choice':'auto',"
            + "'max_output_tokens':'inf','audio':{'input':{'format':{'type':'audio/pcm','rate':24000},"
            + "'transcription':null,'noise_reduction':null,'turn_detection':{'type':'server_vad','threshold':0.5,"
            + "'prefix_padding_ms':300,'silence_duration_ms':200}},'output':{'format':{'type':'audio/pcm','rate':24000},"
            + "'voice':'alloy','speed':1.0}}}}";

    private final SocketProtocol protocol = new OpenAiRealtimeProtocol();

    private static String append(int bytes) {
        return "{'type':'input_audio_buffer.append','audio':'" + base64Audio(bytes) + "'}";
    }

    private static String audioDelta(String responseId, String itemId, int bytes) {
        return "{'type':'response.output_audio.delta','event_id':'event_D','response_id':'" + responseId
                + "','item_id':'" + itemId + "','output_index':0,'content_index':0,'delta':'" + base64Audio(bytes) + "'}";
    }

    private static String transcriptDelta(String responseId, String itemId, String words) {
        return "{'type':'response.output_audio_transcript.delta','event_id':'event_T','response_id':'" + responseId
                + "','item_id':'" + itemId + "','output_index':0,'content_index':0,'delta':'" + words + "'}";
    }

    private static String usage(int input, int text, int audio, int cached, int cachedText, int cachedAudio,
                                int outText, int outAudio) {
        return "'usage':{'total_tokens':" + (input + outText + outAudio) + ",'input_tokens':" + input
                + ",'output_tokens':" + (outText + outAudio) + ",'input_token_details':{'text_tokens':" + text
                + ",'audio_tokens':" + audio + ",'image_tokens':0,'cached_tokens':" + cached
                + ",'cached_tokens_details':{'text_tokens':" + cachedText + ",'audio_tokens':" + cachedAudio
                + ",'image_tokens':0}},'output_token_details':{'text_tokens':" + outText + ",'audio_tokens':" + outAudio
                + "}}";
    }

    /** Turn 1: the caller asks; the model calls a tool; the application answers it; the model speaks. */
    private static void turnWithToolCall(SocketScript s) {
        s.receive(SESSION_CREATED).send(SESSION_UPDATE)
                .receive("{'type':'session.updated','event_id':'event_C2','session':{'type':'realtime',"
                        + "'id':'sess_C9abc','model':'gpt-realtime-2025-08-28','instructions':'You are a concise travel assistant.',"
                        + "'audio':{'input':{'format':{'type':'audio/pcm','rate':24000},'transcription':{'model':'gpt-4o-transcribe','language':'en'}},"
                        + "'output':{'format':{'type':'audio/pcm','rate':24000},'voice':'marin'}}}}");
        for (int i = 0; i < 20; i++) {
            s.send(append(4800));
        }
        s.receive("{'type':'input_audio_buffer.speech_started','event_id':'event_S1','audio_start_ms':200,'item_id':'item_U1'}")
                .receive("{'type':'input_audio_buffer.speech_stopped','event_id':'event_S2','audio_end_ms':1700,'item_id':'item_U1'}")
                .receive("{'type':'input_audio_buffer.committed','event_id':'event_S3','previous_item_id':null,'item_id':'item_U1'}")
                .receive("{'type':'conversation.item.added','event_id':'event_S4','previous_item_id':null,'item':{"
                        + "'id':'item_U1','type':'message','status':'completed','role':'user','content':[{'type':'input_audio','transcript':null}]}}")
                .receive("{'type':'response.created','event_id':'event_R1','response':{'object':'realtime.response',"
                        + "'id':'resp_1','status':'in_progress','status_details':null,'output':[],'conversation_id':'conv_1',"
                        + "'output_modalities':['audio'],'max_output_tokens':'inf','audio':{'output':{'format':{'type':'audio/pcm','rate':24000},'voice':'marin'}},'usage':null,'metadata':null}}")
                .receive("{'type':'response.output_item.added','event_id':'event_R2','response_id':'resp_1','output_index':0,"
                        + "'item':{'id':'item_F1','type':'function_call','status':'in_progress','name':'get_weather','call_id':'call_W1','arguments':''}}")
                .receive("{'type':'response.function_call_arguments.delta','event_id':'event_R3','response_id':'resp_1','item_id':'item_F1','output_index':0,'call_id':'call_W1','delta':'{\\'city\\''}")
                .receive("{'type':'conversation.item.input_audio_transcription.delta','event_id':'event_X1','item_id':'item_U1','content_index':0,'delta':'What'}")
                .receive("{'type':'conversation.item.input_audio_transcription.completed','event_id':'event_X2','item_id':'item_U1',"
                        + "'content_index':0,'transcript':'What is the weather in Lisbon?','usage':{'type':'tokens','total_tokens':31,"
                        + "'input_tokens':23,'input_token_details':{'text_tokens':0,'audio_tokens':23},'output_tokens':8}}")
                .receive("{'type':'response.done','event_id':'event_R4','response':{'object':'realtime.response','id':'resp_1',"
                        + "'status':'completed','status_details':null,'output':[{'id':'item_F1','type':'function_call','status':'completed',"
                        + "'name':'get_weather','call_id':'call_W1','arguments':'{\\\"city\\\":\\\"Lisbon\\\"}'}],'conversation_id':'conv_1',"
                        + usage(412, 392, 20, 0, 0, 0, 18, 0) + "}}")
                .send("{'type':'conversation.item.create','item':{'type':'function_call_output','call_id':'call_W1','output':'{\\\"temp_c\\\":21,\\\"sky\\\":\\\"sunny\\\"}'}}")
                .send("{'type':'response.create'}")
                .receive("{'type':'response.created','event_id':'event_R5','response':{'object':'realtime.response','id':'resp_2','status':'in_progress','output':[]}}")
                .receive("{'type':'response.output_item.added','event_id':'event_R6','response_id':'resp_2','output_index':0,"
                        + "'item':{'id':'item_A2','type':'message','status':'in_progress','role':'assistant','content':[]}}")
                .receive(transcriptDelta("resp_2", "item_A2", "It is"))
                .receive(audioDelta("resp_2", "item_A2", 9600))
                .receiveInParts(audioDelta("resp_2", "item_A2", 9600), 180, 5000)
                .receive(transcriptDelta("resp_2", "item_A2", " 21 degrees"))
                .receive(audioDelta("resp_2", "item_A2", 4800))
                .receive("{'type':'response.output_audio.done','event_id':'event_R7','response_id':'resp_2','item_id':'item_A2','output_index':0,'content_index':0}")
                .receive("{'type':'response.done','event_id':'event_R8','response':{'object':'realtime.response','id':'resp_2',"
                        + "'status':'completed','status_details':null,'output':[{'id':'item_A2','type':'message','status':'completed',"
                        + "'role':'assistant','content':[{'type':'output_audio','transcript':'It is 21 degrees and sunny in Lisbon.'}]}],"
                        + usage(460, 420, 40, 384, 364, 20, 12, 60) + "}}");
    }

    @Test
    void aTurnWithAToolCallBecomesATranscriptionAndTwoGenerationsInOneTurn() {
        SocketScript s = new SocketScript(protocol, "api.openai.com", "/v1/realtime", "model=gpt-realtime", null);
        turnWithToolCall(s);
        List<StageRecord> records = s.process();
        assertEquals(3, records.size(), kinds(records));

        StageRecord stt = records.get(0);
        assertEquals(StageKind.STT, stt.kind);
        assertEquals("realtime.input_audio_transcription", stt.operation);
        assertEquals("gpt-4o-transcribe", stt.model);
        assertEquals("What is the weather in Lisbon?", stt.outputText);
        assertEquals(Long.valueOf(23), stt.usage.get("input"));
        assertEquals(Long.valueOf(23), stt.usage.get("input_audio_tokens"));
        assertEquals(Long.valueOf(8), stt.usage.get("output"));
        assertEquals(Long.valueOf(31), stt.usage.get("total"));
        assertEquals(96_000, stt.input.path("audio").path("bytes").asLong(), "20 appends of 4800 bytes");
        assertEquals(1500, stt.input.path("audio").path("duration_ms").asLong(), "speech from 200 to 1700 ms");
        assertTrue(stt.firstOutputEpochNanos > 0 && stt.firstOutputEpochNanos <= stt.endEpochNanos);
        assertTrue(stt.contextTurnAnchor != 0);
        assertNotNull(stt.contextSessionId, "a socket without a session gets a generated one");
        assertTrue(stt.contextSessionId.startsWith("conversation-"));

        StageRecord call = records.get(1);
        assertEquals(StageKind.LLM, call.kind);
        assertEquals("realtime", call.operation);
        assertEquals("gpt-realtime-2025-08-28", call.model);
        assertEquals("marin", call.modelParameters.get("voice"));
        assertEquals("audio/pcm", call.modelParameters.get("output_audio_format"));
        assertEquals("gpt-4o-transcribe", call.modelParameters.get("input_audio_transcription_model"));
        assertEquals("auto", call.modelParameters.get("tool_choice"));
        assertEquals(stt.contextTurnAnchor, call.contextTurnAnchor);
        assertEquals("What is the weather in Lisbon?", call.inputText);
        assertEquals("You are a concise travel assistant.", call.input.path("messages").path(0).path("content").asText());
        assertEquals("get_weather", call.input.path("tools").path(0).path("name").asText());
        assertEquals("get_weather", call.output.path("tool_calls").path(0).path("function").path("name").asText());
        assertEquals("{\"city\":\"Lisbon\"}",
                call.output.path("tool_calls").path(0).path("function").path("arguments").asText());
        assertEquals("sess_C9abc", call.metadata.get("realtime_session_id"));
        assertEquals("resp_1", call.metadata.get("response_id"));

        StageRecord reply = records.get(2);
        assertEquals(stt.contextTurnAnchor, reply.contextTurnAnchor, "the tool call's follow-up is the same turn");
        assertNull(reply.inputText, "the follow-up's input is the tool output, not the caller's words again");
        assertEquals("tool", reply.input.path("messages").path(1).path("role").asText());
        assertEquals("call_W1", reply.input.path("messages").path(1).path("tool_call_id").asText());
        assertEquals("It is 21 degrees and sunny in Lisbon.", reply.outputText);
        assertEquals(24_000, reply.output.path("audio").path("bytes").asLong(), "9600 + 9600 (in parts) + 4800");
        assertEquals(500, reply.output.path("audio").path("duration_ms").asLong(), "PCM16 at 24 kHz");
        assertTrue(reply.firstOutputEpochNanos >= reply.startEpochNanos && reply.firstOutputEpochNanos <= reply.endEpochNanos,
                "completion start is the first audio delta");
        assertEquals(Map.of("input", 460L, "input_cached_tokens", 384L, "input_audio_tokens", 20L, "output", 72L,
                "output_audio_tokens", 60L, "total", 532L), reply.usage);
        assertEquals("364", reply.metadata.get("usage_input_cached_text_tokens"));
        assertEquals("20", reply.metadata.get("usage_input_cached_audio_tokens"));
        assertEquals("60", reply.metadata.get("usage_output_audio_tokens"));
        assertNull(call.metadata.get("voice_to_voice_ms"), "the tool call spoke no audio");
        assertNotNull(reply.metadata.get("voice_to_voice_ms"), "the caller waited through the tool call");

        // priced at gpt-realtime's text and audio rates: 56 text in at 4.00, 384 cached at 0.40,
        // 20 uncached audio in at 32.00, 12 text out at 16.00, 60 audio out at 64.00 (per million)
        PriceTable.load(null).settle(reply);
        assertEquals(Map.of("input", 56L, "input_cached_tokens", 384L, "input_audio_tokens", 20L, "output", 12L,
                "output_audio_tokens", 60L, "total", 532L), reply.usage, "Langfuse's disjoint buckets");
        double expected = (56 * 4.00 + 384 * 0.40 + 20 * 32.00 + 12 * 16.00 + 60 * 64.00) / 1_000_000;
        assertEquals(expected, reply.cost.get("total"), 1e-12);

        Linker linker = new Linker(IdGenerator.RANDOM, "default-session", Long.MAX_VALUE);
        List<LinkedObservation> linked = new ArrayList<>();
        for (StageRecord record : records) {
            linked.add(linker.link(record).observation);
        }
        assertSame(linked.get(0).turn, linked.get(1).turn);
        assertSame(linked.get(0).turn, linked.get(2).turn);
        assertEquals(stt.contextSessionId, linked.get(2).sessionId);
        assertEquals(linked.get(0).spanId, linked.get(1).linkedFromSpanId);
    }

    @Test
    void bargeInEndsTheResponseInterruptedWithTheAudioHeard() {
        SocketScript s = new SocketScript(protocol, "api.openai.com", "/v1/realtime", "model=gpt-realtime", "call-42");
        turnWithToolCall(s);
        s.receive("{'type':'input_audio_buffer.speech_started','event_id':'event_S5','audio_start_ms':5200,'item_id':'item_U2'}")
                .receive("{'type':'input_audio_buffer.speech_stopped','event_id':'event_S6','audio_end_ms':6200,'item_id':'item_U2'}")
                .receive("{'type':'input_audio_buffer.committed','event_id':'event_S7','previous_item_id':'item_A2','item_id':'item_U2'}")
                .receive("{'type':'response.created','event_id':'event_R9','response':{'object':'realtime.response','id':'resp_3','status':'in_progress','output':[]}}")
                .receive("{'type':'response.output_item.added','event_id':'event_R10','response_id':'resp_3','output_index':0,"
                        + "'item':{'id':'item_A3','type':'message','status':'in_progress','role':'assistant','content':[]}}")
                .receive(audioDelta("resp_3", "item_A3", 48_000))
                .receive(audioDelta("resp_3", "item_A3", 48_000))
                .receive("{'type':'input_audio_buffer.speech_started','event_id':'event_S8','audio_start_ms':7400,'item_id':'item_U3'}")
                .send("{'type':'conversation.item.truncate','item_id':'item_A3','content_index':0,'audio_end_ms':800}")
                .receive("{'type':'response.done','event_id':'event_R11','response':{'object':'realtime.response','id':'resp_3',"
                        + "'status':'cancelled','status_details':{'type':'cancelled','reason':'turn_detected'},'output':[{'id':'item_A3',"
                        + "'type':'message','status':'incomplete','role':'assistant','content':[{'type':'output_audio','transcript':'Sure, the best'}]}],"
                        + usage(700, 600, 100, 512, 448, 64, 10, 40) + "}}")
                .receive("{'type':'conversation.item.input_audio_transcription.completed','event_id':'event_X3','item_id':'item_U2',"
                        + "'content_index':0,'transcript':'Any good restaurants nearby?','usage':{'type':'tokens','total_tokens':20,"
                        + "'input_tokens':14,'input_token_details':{'text_tokens':0,'audio_tokens':14},'output_tokens':6}}")
                .receive("{'type':'conversation.item.truncated','event_id':'event_R12','item_id':'item_A3','content_index':0,'audio_end_ms':800}");
        List<StageRecord> records = s.process();
        assertEquals(5, records.size(), kinds(records));
        StageRecord stt = records.get(3);
        StageRecord cancelled = records.get(4);
        assertEquals(StageKind.STT, stt.kind);
        assertEquals("Any good restaurants nearby?", stt.outputText);
        assertEquals("call-42", stt.contextSessionId, "the application's session wins");
        assertEquals(stt.contextTurnAnchor, cancelled.contextTurnAnchor);
        assertEquals("true", cancelled.metadata.get("interrupted"));
        assertEquals("cancelled", cancelled.metadata.get("finish_reason"));
        assertEquals("turn_detected", cancelled.metadata.get("status_reason"));
        assertEquals("800", cancelled.metadata.get("audio_heard_ms"));
        assertEquals(2000, cancelled.output.path("audio").path("duration_ms").asLong());
        assertEquals(800, cancelled.output.path("audio").path("heard_ms").asLong());
        assertNotNull(cancelled.metadata.get("voice_to_voice_ms"));
        assertTrue(Double.parseDouble(cancelled.metadata.get("voice_to_voice_ms")) >= 0);
        assertEquals("Sure, the best", cancelled.outputText);
    }

    @Test
    void errorEventsAndAFailureMidResponseAreErrors() {
        SocketScript s = new SocketScript(protocol, "my-resource.openai.azure.com", "/openai/realtime",
                "api-version=2025-04-01-preview&deployment=gpt-4o-realtime-preview&api-key=SECRET", null);
        s.send("{'type':'session.update','session':{'modalities':['audio','text'],'voice':'alloy','input_audio_format':'g711_ulaw',"
                + "'output_audio_format':'g711_ulaw','input_audio_transcription':{'model':'whisper-1'},'temperature':0.8}}")
                .receive("{'type':'session.updated','event_id':'event_U1','session':{'id':'sess_A1','object':'realtime.session',"
                        + "'modalities':['audio','text'],'voice':'alloy','input_audio_format':'g711_ulaw','output_audio_format':'g711_ulaw'}}")
                .send("{'type':'session.update','session':{'input_audio_format':'pcm32','model':'gpt-4o-realtime-preview-2099'}}")
                .receive("{'type':'error','event_id':'event_E1','error':{'type':'invalid_request_error','code':'invalid_value',"
                        + "'message':'Invalid value: \\'pcm32\\'.','param':'session.input_audio_format','event_id':'evt_client_7'}}")
                .receive("{'type':'response.created','event_id':'event_R1','response':{'object':'realtime.response','id':'resp_9','status':'in_progress','output':[]}}")
                .receive("{'type':'response.audio.delta','event_id':'event_D1','response_id':'resp_9','item_id':'item_9','output_index':0,'content_index':0,'delta':'"
                        + base64Audio(1600) + "'}");
        s.socket.onFailed(new java.io.IOException("connection reset"));
        List<StageRecord> records = s.process();
        assertEquals(2, records.size(), kinds(records));
        StageRecord error = records.get(0);
        assertEquals("invalid_request_error: Invalid value: \"pcm32\". (invalid_value)", error.error);
        assertEquals("gpt-4o-realtime-preview", error.model, "Azure's deployment names the model");
        StageRecord broken = records.get(1);
        assertEquals("java.io.IOException: connection reset", broken.error);
        assertEquals("true", broken.metadata.get("interrupted"));
        assertEquals(1600, broken.output.path("audio").path("bytes").asLong());
        assertEquals(200, broken.output.path("audio").path("duration_ms").asLong(), "G.711 at 8 kHz");
        assertEquals("g711_ulaw", broken.modelParameters.get("input_audio_format"), "the refused update is not applied");
        assertEquals("gpt-4o-realtime-preview", broken.model);
        assertEquals(0.8, ((Number) broken.modelParameters.get("temperature")).doubleValue());
        assertEquals(0, s.openSockets());
        for (StageRecord record : records) {
            assertTrue(!String.valueOf(record.input).contains("SECRET") && !record.metadata.toString().contains("SECRET"));
        }
    }

    @Test
    void malformedFramesUnknownEventsAndSplitEventsAreTolerated() {
        SocketScript s = new SocketScript(protocol, "api.openai.com", "/v1/realtime", "model=gpt-realtime", null);
        s.receive("not json at all").receive("{'type':'response.created'").receive("[1,2,3]")
                .receive("{'type':'some.future_event','event_id':'event_Z','payload':{'x':1}}")
                .receive("{'event_id':'event_no_type'}");
        String created = "{'type':'response.created','event_id':'event_R1','response':{'object':'realtime.response','id':'resp_5','status':'in_progress','output':[]}}";
        s.receiveInParts(created, 10, 60)
                .receive(audioDelta("resp_5", "item_5", 480))
                .receiveInParts("{'type':'response.done','event_id':'event_R2','response':{'object':'realtime.response','id':'resp_5',"
                        + "'status':'completed','output':[{'id':'item_5','type':'message','role':'assistant','content':[{'type':'output_audio','transcript':'Hello there.'}]}],"
                        + usage(100, 100, 0, 0, 0, 0, 5, 10) + "}}", 5, 6, 200);
        s.socket.onClosed(1000);
        List<StageRecord> records = s.process();
        assertEquals(3, s.malformedFrames());
        assertEquals(1, records.size(), kinds(records));
        assertEquals("Hello there.", records.get(0).outputText);
        assertEquals(480, records.get(0).output.path("audio").path("bytes").asLong());
        assertNull(records.get(0).error);
        assertNull(records.get(0).metadata.get("interrupted"));
    }

    @Test
    void framesAreClassifiedWithoutParsing() {
        assertEquals(SocketProtocol.Frame.AUDIO, protocol.classify(SocketScript.json(append(10)), true));
        assertEquals(SocketProtocol.Frame.EVENT, protocol.classify(SocketScript.json(SESSION_UPDATE), true));
        assertEquals(SocketProtocol.Frame.AUDIO, protocol.classify(SocketScript.json(audioDelta("r", "i", 10)), false));
        assertEquals(SocketProtocol.Frame.SKIP, protocol.classify(SocketScript.json(transcriptDelta("r", "i", "x")), false));
        assertEquals(SocketProtocol.Frame.OUTPUT_MARK,
                protocol.classify(SocketScript.json("{'type':'response.output_text.delta','delta':'Hi'}"), false));
        assertEquals(SocketProtocol.Frame.TURN_EVENT,
                protocol.classify(SocketScript.json("{'type':'input_audio_buffer.committed','item_id':'i'}"), false));
        assertEquals(SocketProtocol.Frame.EVENT, protocol.classify("garbage", false));
        assertTrue(protocol.matchesPath("/v1/realtime"));
        assertTrue(protocol.matchesPath("/openai/realtime/"));
        assertTrue(!protocol.matchesPath("/v1/chat/completions"));
    }

    private static String kinds(List<StageRecord> records) {
        StringBuilder text = new StringBuilder();
        for (StageRecord record : records) {
            text.append(record.kind).append(' ').append(record.operation).append(' ').append(record.outputText)
                    .append(' ').append(record.error).append('\n');
        }
        return text.toString();
    }
}
