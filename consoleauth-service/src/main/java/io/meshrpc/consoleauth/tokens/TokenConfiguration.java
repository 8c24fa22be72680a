package io.meshrpc.consoleauth.tokens;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import io.meshrpc.consoleauth.ConsoleauthProperties;

/** The token store, and a periodic sweep that frees the memory of expired tokens. */
@Configuration(proxyBeanMethods = false)
class TokenConfiguration {

    @Bean
    TokenStore tokenStore(Clock clock, ConsoleauthProperties properties) {
        return new TokenStore(clock, properties);
    }

    @Bean
    Sweeper tokenSweeper(TokenStore store) {
        return new Sweeper(store);
    }

    /** Frees expired tokens every 30 s; validity never depends on it. */
    static final class Sweeper {
        private final TokenStore store;

        Sweeper(TokenStore store) {
            this.store = store;
        }

        @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
        void sweep() {
            store.purgeExpired();
        }
    }
}
