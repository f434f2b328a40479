package io.openons.contracts.messaging;

import java.util.List;

/** The messages a consume call took; empty when nothing was consumable before the wait ended. */
public record ConsumeResult(List<ConsumedMessage> messages) {
}
