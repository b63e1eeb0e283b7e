package org.deephash4j.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Protocols;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fetches the emoji packages (npm, pinned and verified; a no-op once cached) and checks the data sets and
 * protocols built from them: counts, labels, the group-aware split, the cross-style split, and decoding
 * with alpha on white.
 */
@Tag("integration")
class EmojiDataIntegrationTest {

    @Test
    void theEmojiDataSetsAndTheirProtocols() throws IOException {
        DatasetRepository repo = DatasetRepository.standard();
        List<EmojiData.Item> items = EmojiData.readItems(EmojiData.ensure(repo.home(), ProgressListener.NONE));
        assertEquals(2 * 3786, items.size());
        assertEquals(3786, items.stream().filter(i -> i.vendor().equals("google")).count());
        assertEquals(99, EmojiData.labels(EmojiData.CATEGORY, items).numClasses());
        assertEquals(3786, EmojiData.labels(EmojiData.CROSS_STYLE, items).numClasses(), "one class per code point sequence");

        BenchmarkImages emoji = repo.load(EmojiData.CATEGORY, new ImageShape(3, 16, 16), false, ProgressListener.NONE);
        assertEquals(items.size(), emoji.images().size());
        Protocol category = Protocols.parse(EmojiData.CATEGORY);
        Split split = category.split(emoji.images().labels(), emoji.trainSize());
        Map<Integer, Integer> groupOf = new HashMap<>();
        items.forEach(i -> groupOf.put(i.position(), i.group()));
        Set<Integer> queryGroups = new HashSet<>();
        for (int q : split.query()) {
            queryGroups.add(groupOf.get(q));
        }
        for (int d : split.database()) {
            assertTrue(!queryGroups.contains(groupOf.get(d)), "an emoji's variants never sit on both sides of the split");
        }
        Set<Integer> database = new HashSet<>();
        for (int d : split.database()) {
            database.add(d);
        }
        for (int t : split.train()) {
            assertTrue(database.contains(t), "training items come from the database");
        }
        assertEquals(2 * queryGroups.size(), split.query().length, "one default-tone query per style and query group");
        assertTrue(split.query().length > 300 && split.database().length > 6500, split.query().length + " / " + split.database().length);

        Split cross = Protocols.parse(EmojiData.CROSS_STYLE).split(EmojiData.labels(EmojiData.CROSS_STYLE, items), items.size());
        for (int q : cross.query()) {
            assertEquals("google", items.get(q).vendor());
        }
        for (int d : cross.database()) {
            assertEquals("twitter", items.get(d).vendor());
        }
        // The keycap '#' (the first emoji) has a transparent corner: white, not black.
        assertEquals(255, emoji.images().image(0).value(0, 0, 0));
    }
}
