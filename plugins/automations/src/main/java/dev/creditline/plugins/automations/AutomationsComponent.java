package dev.creditline.plugins.automations;

import dagger.Binds;
import dagger.Component;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;
import dev.creditline.api.spi.PluginHost;
import jakarta.inject.Singleton;
import java.util.Map;

/** The plugin's graph, built on the kernel's host. */
@Singleton
@Component(dependencies = PluginHost.class, modules = AutomationsComponent.Extensions.class)
interface AutomationsComponent {

    Map<Class<?>, Object> extensions();

    AutomationRoutes routes();

    @Component.Factory
    interface Factory {
        AutomationsComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds @IntoMap @ClassKey(AutomationsPage.class)
        abstract Object page(AutomationsPage x);

        @Binds @IntoMap @ClassKey(Listeners.Members.class)
        abstract Object members(Listeners.Members x);

        @Binds @IntoMap @ClassKey(Listeners.Entries.class)
        abstract Object entries(Listeners.Entries x);

        @Binds @IntoMap @ClassKey(Listeners.Schedule.class)
        abstract Object schedule(Listeners.Schedule x);

        @Binds @IntoMap @ClassKey(Triggers.MemberCreated.class)
        abstract Object memberCreated(Triggers.MemberCreated x);

        @Binds @IntoMap @ClassKey(Triggers.MemberTagged.class)
        abstract Object memberTagged(Triggers.MemberTagged x);

        @Binds @IntoMap @ClassKey(Triggers.MemberUntagged.class)
        abstract Object memberUntagged(Triggers.MemberUntagged x);

        @Binds @IntoMap @ClassKey(Triggers.PurchaseCompleted.class)
        abstract Object purchaseCompleted(Triggers.PurchaseCompleted x);

        @Binds @IntoMap @ClassKey(Triggers.BalanceBelow.class)
        abstract Object balanceBelow(Triggers.BalanceBelow x);

        @Binds @IntoMap @ClassKey(Triggers.LotExpiring.class)
        abstract Object lotExpiring(Triggers.LotExpiring x);

        @Binds @IntoMap @ClassKey(Triggers.Schedule.class)
        abstract Object scheduleTrigger(Triggers.Schedule x);

        @Binds @IntoMap @ClassKey(Actions.GrantCredits.class)
        abstract Object grantCredits(Actions.GrantCredits x);

        @Binds @IntoMap @ClassKey(Actions.AddTag.class)
        abstract Object addTag(Actions.AddTag x);

        @Binds @IntoMap @ClassKey(Actions.RemoveTag.class)
        abstract Object removeTag(Actions.RemoveTag x);

        @Binds @IntoMap @ClassKey(Actions.NotifyMember.class)
        abstract Object notifyAction(Actions.NotifyMember x);
    }
}
