package io.pointsledger.campaigns;

import io.pointsledger.ledger.BonusOccasion;
import io.pointsledger.ledger.LedgerService;
import io.pointsledger.members.MemberService;
import io.pointsledger.program.ProgramConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The birthday month campaigns' daily job: while one is active, every member born in the current
 * month (in the program's time zone) is rewarded, once a year: the occasion's key is the year, so
 * a second run on the same day, or on any later day of the month, rewards nobody twice. Members
 * are scanned in batches of {@value #BATCH_SIZE} (birth dates are encrypted: each is read here).
 */
@ApplicationScoped
public class BirthdayRewards {

    private static final Logger LOG = Logger.getLogger(BirthdayRewards.class);
    static final int BATCH_SIZE = 1_000;

    private final MemberService members;
    private final LedgerService ledger;
    private final OccasionRewards rewards;
    private final ProgramConfig program;
    private final Clock clock;

    BirthdayRewards(MemberService members, LedgerService ledger, OccasionRewards rewards, ProgramConfig program, Clock clock) {
        this.members = members;
        this.ledger = ledger;
        this.rewards = rewards;
        this.program = program;
        this.clock = clock;
    }

    @Scheduled(cron = "${points-ledger.campaigns.birthday-cron:0 15 0 * * ?}", timeZone = "${points-ledger.program.time-zone}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> daily() {
        return run().invoke(members -> LOG.infof("Birthday month: %d members born this month gone through", members))
                .replaceWithVoid();
    }

    /**
     * One pass over the members; the number of members born this month it went through (each
     * rewarded now, or before: every run of the month passes them all, and the occasion's yearly
     * key makes the later ones change nothing).
     */
    public Uni<Integer> run() {
        if (!rewards.anyActive(CampaignTrigger.BIRTHDAY_MONTH)) {
            return Uni.createFrom().item(0);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        ZonedDateTime local = now.atZoneSameInstant(program.timeZone());
        BonusOccasion occasion = BonusOccasion.birthdayMonth(local.getYear());
        return scan(new UUID(0, 0), local, occasion, now, 0);
    }

    private Uni<Integer> scan(UUID after, ZonedDateTime local, BonusOccasion occasion, OffsetDateTime now, int rewarded) {
        return members.bornIn(local.getMonth(), after, BATCH_SIZE).chain(batch -> Multi.createFrom().iterable(batch.members())
                .onItem().transformToUniAndConcatenate(memberId -> ledger.balance(memberId).chain(balance ->
                                rewards.reward(memberId, CampaignTrigger.BIRTHDAY_MONTH, occasion, now, balance.tier()))
                        // One member failing leaves the others rewarded; the next run tries that one again.
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("The birthday month of member %s waits for the next run: %s", memberId, failure.toString());
                            return null;
                        }))
                .collect().asList()
                .chain(done -> batch.next() == null ? Uni.createFrom().item(rewarded + done.size())
                        : scan(batch.next(), local, occasion, now, rewarded + done.size())));
    }
}
