package org.ccmledger.careplan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.ccmledger.careplan.api.CarePlanChange;
import org.ccmledger.careplan.api.CarePlanContent;

/**
 * What changed between two versions of a care plan, element by element in the order of {@link CarePlanContent}.
 * A text element that differs is one {@link CarePlanChange.Text}; a list element is compared as a multiset (order
 * does not matter, repeats count), so reordering is no change and a list that goes from two equal items to one has
 * one removed. Elements that did not change are left out.
 */
final class CarePlanDiff {

    private sealed interface Element {
        Optional<CarePlanChange> change(CarePlanContent before, CarePlanContent after);
    }

    private record TextElement(String field, Function<CarePlanContent, String> value) implements Element {
        @Override
        public Optional<CarePlanChange> change(CarePlanContent before, CarePlanContent after) {
            String old = value.apply(before);
            String now = value.apply(after);
            return Objects.equals(old, now) ? Optional.empty()
                    : Optional.of(new CarePlanChange.Text(field, old, now));
        }
    }

    private record ListElement(String field, Function<CarePlanContent, List<String>> value) implements Element {
        @Override
        public Optional<CarePlanChange> change(CarePlanContent before, CarePlanContent after) {
            List<String> added = surplus(value.apply(after), value.apply(before));
            List<String> removed = surplus(value.apply(before), value.apply(after));
            return added.isEmpty() && removed.isEmpty() ? Optional.empty()
                    : Optional.of(new CarePlanChange.Items(field, added, removed));
        }
    }

    private static final List<Element> ELEMENTS = List.of(
            new ListElement("problems", CarePlanContent::problems),
            new TextElement("expectedOutcome", CarePlanContent::expectedOutcome),
            new ListElement("measurableGoals", CarePlanContent::measurableGoals),
            new TextElement("symptomManagement", CarePlanContent::symptomManagement),
            new ListElement("plannedInterventions", CarePlanContent::plannedInterventions),
            new TextElement("medicationManagement", CarePlanContent::medicationManagement),
            new ListElement("communityResources", CarePlanContent::communityResources),
            new ListElement("coordination", CarePlanContent::coordination),
            new TextElement("reviewSchedule", CarePlanContent::reviewSchedule));

    private CarePlanDiff() {
    }

    static List<CarePlanChange> between(CarePlanContent before, CarePlanContent after) {
        return ELEMENTS.stream().flatMap(element -> element.change(before, after).stream()).toList();
    }

    /** The items of {@code these} left once each item of {@code those} has cancelled one equal item, in order. */
    static List<String> surplus(List<String> these, List<String> those) {
        Map<String, Integer> cancels = new HashMap<>();
        those.forEach(item -> cancels.merge(item, 1, Integer::sum));
        List<String> left = new ArrayList<>();
        for (String item : these) {
            if (cancels.merge(item, -1, Integer::sum) < 0) {
                left.add(item);
            }
        }
        return left;
    }
}
