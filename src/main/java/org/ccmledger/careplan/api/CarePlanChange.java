package org.ccmledger.careplan.api;

import java.util.List;

/** How one element of a care plan changed from one version to the next. */
public sealed interface CarePlanChange {

    /** The name of the element, as in {@link CarePlanContent}. */
    String field();

    /** A text element that was replaced. */
    record Text(String field, String before, String after) implements CarePlanChange {
    }

    /**
     * A list element whose items changed, order aside: the items the new version has more of ({@code added}) and
     * fewer of ({@code removed}), counting repeated items.
     */
    record Items(String field, List<String> added, List<String> removed) implements CarePlanChange {

        public Items {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }
}
