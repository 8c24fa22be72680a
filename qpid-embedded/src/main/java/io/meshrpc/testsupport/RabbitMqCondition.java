package io.meshrpc.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfRabbitMq}. */
public final class RabbitMqCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return RabbitMq.available()
                ? ConditionEvaluationResult.enabled("RabbitMQ answers on " + RabbitMq.address())
                : ConditionEvaluationResult.disabled("No RabbitMQ answers on " + RabbitMq.address()
                        + " (start one, or set MESHRPC_RABBITMQ=host:port); skipped, not faked");
    }
}
