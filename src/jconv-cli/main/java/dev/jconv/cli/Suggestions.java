package dev.jconv.cli;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean ...?" for a mistyped command or option: the known word closest to what was typed, by edit distance
 * (insertions, deletions, substitutions and swaps of neighbours each count one), when it is close enough to be a
 * typo rather than a different word.
 */
final class Suggestions {

    private Suggestions() {}

    /** {@code " (did you mean X?)"}, or an empty string when no known word is close. */
    static String didYouMean(String typed, Collection<String> known) {
        return closest(typed, known)
                .map(word -> " (did you mean " + word + "?)")
                .orElse("");
    }

    static Optional<String> closest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String word : known) {
            int distance = distance(typed, word);
            // Ties go to the alphabetically first word, so the answer does not depend on the collection's order.
            if (distance < bestDistance || (distance == bestDistance && word.compareTo(best) < 0)) {
                best = word;
                bestDistance = distance;
            }
        }
        // One edit per four characters: "--ouput" finds "--output", "exampel" finds "example", "--xyz" finds nothing.
        int allowed = Math.max(1, Math.min(3, bare(typed).length() / 4));
        if (best != null && bestDistance <= allowed) {
            return Optional.of(best);
        }
        return Optional.ofNullable(uniquePrefixOf(typed, known));
    }

    /** The one known word that {@code typed} abbreviates ("--dev" for "--device"), if exactly one. */
    private static String uniquePrefixOf(String typed, Collection<String> known) {
        if (bare(typed).length() < 3) {
            return null;
        }
        String match = null;
        for (String word : known) {
            if (word.startsWith(typed)) {
                if (match != null) {
                    return null;
                }
                match = word;
            }
        }
        return match;
    }

    private static String bare(String word) {
        return word.startsWith("--") ? word.substring(2) : word;
    }

    /** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring characters. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
