package io.meshrpc.matchmaker.service.redis;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips each test, with the reason, when the local Redis does not answer. Decided per test method (not per class)
 * so that every skipped test is counted and reported as skipped.
 */
public class LocalRedisCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("decided per test");
        }
        String reason = LocalRedis.unreachableReason();
        return reason == null ? ConditionEvaluationResult.enabled("Redis answers at " + LocalRedis.HOST + ":"
                + LocalRedis.PORT) : ConditionEvaluationResult.disabled(reason);
    }
}
