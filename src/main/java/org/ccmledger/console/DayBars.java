package org.ccmledger.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The month's minutes as an SVG chart drawn on the server: a bar per day of the month (in the billing location's
 * time zone) as high as the minutes logged up to the end of that day, and lines at the thresholds the CCM codes bill
 * at (20 minutes for 99490, 40 for 99490 + 99439, 60 for 99487). Only coordinates: the template draws them.
 */
public record DayBars(int width, int height, List<Bar> bars, List<Line> thresholds, int total, String description) {

    static final int WIDTH = 640;
    static final int HEIGHT = 220;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 10;
    private static final int BOTTOM = 26;
    private static final int[][] THRESHOLDS = {{20, 99490}, {40, 99439}, {60, 99487}};

    /** One day: its date, minutes that day, minutes to the end of it, and where its bar is. */
    public record Bar(LocalDate day, int minutes, int cumulative, int x, int y, int barWidth, int barHeight,
                      boolean label,
               int labelX, int labelY) {
    }

    /** A threshold line: its minutes, the code it bills, its height, where its label sits. */
    public record Line(int minutes, String code, int y, int x1, int x2, int labelX, int labelY) {
    }

    /** A time entry as it stands: when it started and how long it is. */
    public record Minutes(Instant startedAt, int minutes) {
    }

    /** The chart of {@code month} as of {@code until}: days after it (still to come) get no bar. */
    static DayBars of(YearMonth month, ZoneId zone, List<Minutes> live, Instant until) {
        LocalDate last = until.atZone(zone).toLocalDate();
        Map<LocalDate, Integer> byDay = new TreeMap<>();
        for (Minutes entry : live) {
            LocalDate day = entry.startedAt().atZone(zone).toLocalDate();
            if (YearMonth.from(day).equals(month)) {
                byDay.merge(day, entry.minutes(), Integer::sum);
            }
        }
        int days = month.lengthOfMonth();
        int total = byDay.values().stream().mapToInt(Integer::intValue).sum();
        int top = Math.max(70, (total + 19) / 10 * 10);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int slot = plotWidth / days;
        List<Bar> bars = new ArrayList<>();
        int cumulative = 0;
        for (int d = 1; d <= days; d++) {
            LocalDate day = month.atDay(d);
            int minutes = byDay.getOrDefault(day, 0);
            cumulative += minutes;
            int barHeight = day.isAfter(last) ? 0 : cumulative * plotHeight / top;
            int x = LEFT + (d - 1) * slot;
            bars.add(new Bar(day, minutes, cumulative, x + 1, TOP + plotHeight - barHeight, Math.max(1, slot - 2),
                             barHeight, d == 1 || d % 5 == 0, x + slot / 2, HEIGHT - 8));
        }
        List<Line> lines = new ArrayList<>();
        for (int[] threshold : THRESHOLDS) {
            int y = TOP + plotHeight - threshold[0] * plotHeight / top;
            lines.add(new Line(threshold[0], Integer.toString(threshold[1]), y, LEFT, WIDTH - RIGHT, LEFT - 4,
                               y + 4));
        }
        String description = total + " minutes logged in " + month + " (entries as they stand, before the rules "
                             + "count them); threshold lines at 20, 40 and 60 minutes";
        return new DayBars(WIDTH, HEIGHT, bars, lines, total, description);
    }
}
