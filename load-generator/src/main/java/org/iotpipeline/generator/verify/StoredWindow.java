package org.iotpipeline.generator.verify;

/** What table measurements holds for one window; {@code rows} > 1 means it is doubled. */
record StoredWindow(long count, double sum, int rows) {

    StoredWindow plus(long moreCount, double moreSum) {
        return new StoredWindow(count + moreCount, sum + moreSum, rows + 1);
    }
}
