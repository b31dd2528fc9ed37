package org.iotpipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class PartitionLeadersTest {

    private static final Node B1 = new Node(1, "127.0.0.1", 19092);
    private static final Node B2 = new Node(2, "127.0.0.1", 19093);
    private static final Node B3 = new Node(3, "127.0.0.1", 19094);

    private static TopicPartitionInfo partition(int id, Node leader, List<Node> isr) {
        return new TopicPartitionInfo(id, leader, List.of(B1, B2, B3), isr);
    }

    @Test
    void theBrokerLeadingTheMostPartitionsIsTheVictimTheLowestIdOnATie() {
        List<TopicPartitionInfo> partitions = List.of(
                partition(0, B2, List.of(B1, B2, B3)), partition(1, B3, List.of(B1, B2, B3)),
                partition(2, B2, List.of(B1, B2, B3)), partition(3, B3, List.of(B1, B2, B3)),
                partition(4, B1, List.of(B1, B2, B3)));

        assertThat(PartitionLeaders.topLeader(partitions)).contains(Map.entry(2, 2));
        assertThat(PartitionLeaders.topLeader(List.of(partition(0, null, List.of())))).isEmpty();
    }

    @Test
    void aPartitionIsReadyOnlyWithALeaderOtherThanTheVictimAndEnoughInSync() {
        List<TopicPartitionInfo> partitions = List.of(
                partition(0, B1, List.of(B1, B2, B3)),
                partition(1, B2, List.of(B2)),
                partition(2, null, List.of(B3)),
                partition(3, B3, List.of(B2, B3)));

        assertThat(PartitionLeaders.notReady(partitions, 2, Optional.of(1)))
                .containsExactly("0 (leader 1, isr [1,2,3])", "1 (leader 2, isr [2])", "2 (leader none, isr [3])");
        assertThat(PartitionLeaders.notReady(partitions, 1, Optional.empty())).containsExactly("2 (leader none, isr [3])");
    }
}
