package org.deephash4j.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    private static LogRecord put(long id) {
        return new LogRecord.Put(new Item(id, List.of((int) id % 3), Map.of("name", "item ü " + id)), new long[] {id * 31, ~id});
    }

    private List<LogRecord> replay(Path f) throws IOException {
        List<LogRecord> out = new ArrayList<>();
        WriteAheadLog.open(f, 128, out::add).close();
        return out;
    }

    @Test
    void recordsComeBackInOrderWithEveryField() throws IOException {
        Path f = dir.resolve("w.log");
        try (WriteAheadLog log = WriteAheadLog.open(f, 128, r -> { })) {
            log.append(List.of(put(1), put(2)));
            log.append(List.of(new LogRecord.Delete(1), put(7)));
            assertEquals(4, log.records());
        }
        List<LogRecord> back = replay(f);
        assertEquals(4, back.size());
        LogRecord.Put p = (LogRecord.Put) back.get(3);
        assertEquals(put(7).toString().replaceAll("@[0-9a-f]+", ""), p.toString().replaceAll("@[0-9a-f]+", ""));
        assertEquals(Arrays.toString(new long[] {7 * 31, ~7L}), Arrays.toString(p.words()));
        assertEquals("item ü 7", p.item().metadata().get("name"));
        assertEquals(1, ((LogRecord.Delete) back.get(2)).id());
    }

    @Test
    void aTornLastRecordIsCutOffAndNeverReplayed() throws IOException {
        Path f = dir.resolve("w.log");
        try (WriteAheadLog log = WriteAheadLog.open(f, 128, r -> { })) {
            log.append(List.of(put(1), put(2), put(3)));
        }
        byte[] whole = Files.readAllBytes(f);
        int oneRecord = whole.length / 3;
        for (int cut = 1; cut < oneRecord; cut += 7) {
            Files.write(f, Arrays.copyOf(whole, whole.length - cut));
            List<LogRecord> back = new ArrayList<>();
            try (WriteAheadLog log = WriteAheadLog.open(f, 128, back::add)) {
                assertEquals(2, back.size(), "cut " + cut);
                assertEquals(oneRecord - cut, log.droppedBytes());
                log.append(List.of(put(4)));
            }
            List<LogRecord> again = replay(f);
            assertEquals(3, again.size(), "the torn bytes are gone and the new record follows the intact ones");
            assertEquals(4, ((LogRecord.Put) again.get(2)).item().id());
        }
        byte[] flipped = whole.clone();
        flipped[whole.length - 5] ^= 1;
        Files.write(f, flipped);
        assertEquals(2, replay(f).size(), "a last record failing its checksum is dropped");
    }

    @Test
    void aLyingLengthIsNotAllocatedAndSnapshotFilesAreReadStrictly() throws IOException {
        Path f = dir.resolve("w.log");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0, 0, 1, 2, 3});
        assertEquals(0, replay(f).size());
        assertEquals(0, Files.size(f), "cut back to the last intact record");
        Path items = dir.resolve("s.items");
        WriteAheadLog.writeAll(items, 128, List.of(new LogRecord.Details(new Item(5, List.of(1, 2), Map.of()))));
        List<LogRecord> back = new ArrayList<>();
        WriteAheadLog.readAll(items, 128, back::add);
        assertEquals(List.of(1, 2), ((LogRecord.Details) back.get(0)).item().labels());
        byte[] b = Files.readAllBytes(items);
        Files.write(items, Arrays.copyOf(b, b.length - 1));
        String m = assertThrows(MalformedFileException.class, () -> WriteAheadLog.readAll(items, 128, r -> { })).getMessage();
        assertTrue(m.contains("cut short"), m);
    }
}
