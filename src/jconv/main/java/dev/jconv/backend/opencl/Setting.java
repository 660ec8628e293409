package dev.jconv.backend.opencl;

/**
 * A setting that a user gives as a system property or, failing that, an environment variable (a blank value counts
 * as not given), with the words that name where it came from, for error and log messages.
 *
 * @param source {@code system property NAME} or {@code environment variable NAME}
 */
record Setting(String value, String source) {

    /** The setting as this JVM sees it now, or null when neither is given. */
    static Setting read(String property, String environment) {
        return choose(property, System.getProperty(property), environment, System.getenv(environment));
    }

    /** The property's value when it is given, else the environment variable's; null when neither is. */
    static Setting choose(String property, String propertyValue, String environment, String environmentValue) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return new Setting(propertyValue, "system property " + property);
        }
        if (environmentValue != null && !environmentValue.isBlank()) {
            return new Setting(environmentValue, "environment variable " + environment);
        }
        return null;
    }
}
