package io.meshrpc.consoleauth.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.meshrpc.consoleauth.ConsoleauthProperties;
import io.meshrpc.consoleauth.MutableClock;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.TokenCheck;

class TokenStoreTest {

    private static final ConsoleEndpoint CONSOLE = new ConsoleEndpoint("i-1", "compute-1", "vnc", 5900);

    private final MutableClock clock = new MutableClock();
    private final TokenStore store = new TokenStore(clock, new ConsoleauthProperties(Duration.ofMinutes(10), 3));

    @Test
    void anIssuedTokenIsValidForItsConsoleUntilItsTtlPasses() {
        ConsoleToken token = store.issue(CONSOLE);

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(store.check(token.token())).isEqualTo(new TokenCheck(true, CONSOLE, token.expiresAt()));

        clock.advance(Duration.ofMillis(1));
        assertThat(store.check(token.token())).isEqualTo(TokenCheck.invalid());
    }

    @Test
    void anUnknownOrMissingTokenIsInvalid() {
        assertThat(store.check("nope").valid()).isFalse();
        assertThat(store.check(null).valid()).isFalse();
    }

    @Test
    void tokensAreUniqueUrlSafeAndLong() {
        TokenStore roomy = new TokenStore(clock, new ConsoleauthProperties(Duration.ofMinutes(1), 10_000));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = roomy.issue(CONSOLE).token();
            assertThat(token).matches("[A-Za-z0-9_-]{32}");
            seen.add(token);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void theSweepFreesOnlyExpiredTokens() {
        store.issue(CONSOLE);
        clock.advance(Duration.ofMinutes(5));
        ConsoleToken young = store.issue(CONSOLE);
        clock.advance(Duration.ofMinutes(6));

        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.check(young.token()).valid()).isTrue();
    }

    @Test
    void atTheLimitExpiredTokensMakeRoomAndLiveOnesRefuseNewTokens() {
        store.issue(CONSOLE);
        store.issue(CONSOLE);
        store.issue(CONSOLE);
        assertThatThrownBy(() -> store.issue(CONSOLE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("consoleauth.max-tokens=3");

        clock.advance(Duration.ofMinutes(11));
        assertThat(store.issue(CONSOLE).token()).isNotBlank();
        assertThat(store.size()).isEqualTo(1);
    }
}
