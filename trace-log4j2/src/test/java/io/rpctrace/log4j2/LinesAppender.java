package io.rpctrace.log4j2;

import io.rpctrace.testing.logging.AppLines;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginConfiguration;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** The application's own appender in tests: formats each event with a pattern into {@link AppLines}. */
@Plugin(name = "Lines", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE)
public final class LinesAppender extends AbstractAppender {
    private LinesAppender(String name, PatternLayout layout) {
        super(name, null, layout, true, Property.EMPTY_ARRAY);
    }

    @PluginFactory
    @SuppressWarnings("deprecation") // withPattern/withConfiguration: deprecated in 2.2x, the only ones in 2.17
    public static LinesAppender create(@PluginAttribute("name") String name, @PluginAttribute("pattern") String pattern,
                                       @PluginConfiguration Configuration config) {
        return new LinesAppender(name, PatternLayout.newBuilder().withPattern(pattern).withConfiguration(config).build());
    }

    @Override
    public void append(LogEvent event) {
        AppLines.add(((PatternLayout) getLayout()).toSerializable(event));
    }
}
