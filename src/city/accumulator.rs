//! The measures of one rollup bucket, kept so that adding and removing values in any order
//! gives the same bits: each value is rounded once to a fixed-point grid (2^-32) and summed as
//! integers, so an incremental bucket equals the one a rebuild computes.

/// Values beyond this magnitude are not rolled up (their squares would not fit the sum).
pub const LIMIT: f64 = 1e12;
const SCALE: f64 = 4_294_967_296.0;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Accumulator {
    pub count: u64,
    sum: i128,
    sum_of_squares: i128,
    pub min: f64,
    pub max: f64,
}

fn fixed(value: f64) -> i128 {
    (value * SCALE).round() as i128
}

impl Accumulator {
    /// Whether a value can be rolled up: finite and within [`LIMIT`].
    pub fn accepts(value: f64) -> bool {
        value.is_finite() && value.abs() <= LIMIT
    }

    pub fn add(&mut self, value: f64) {
        if self.count == 0 {
            self.min = value;
            self.max = value;
        } else {
            self.min = self.min.min(value);
            self.max = self.max.max(value);
        }
        self.count += 1;
        self.sum += fixed(value);
        self.sum_of_squares += fixed(value * value);
    }

    /// Removes a value added before. Returns `false` when the minimum or maximum may have gone
    /// with it: the bucket must then be recomputed from its values.
    pub fn remove(&mut self, value: f64) -> bool {
        if self.count <= 1 {
            *self = Self::default();
            return true;
        }
        self.count -= 1;
        self.sum -= fixed(value);
        self.sum_of_squares -= fixed(value * value);
        value != self.min && value != self.max
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn sum(&self) -> f64 {
        self.sum as f64 / SCALE
    }

    pub fn sum_of_squares(&self) -> f64 {
        self.sum_of_squares as f64 / SCALE
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        (self.sum as f64 / self.count as f64) / SCALE
    }

    /// The exact sums, as kept in the bucket's `citykg:accumulator` literal.
    pub fn encode(&self) -> String {
        format!("{} {}", self.sum, self.sum_of_squares)
    }

    pub fn decode(count: u64, min: f64, max: f64, sums: &str) -> Option<Self> {
        let (sum, squares) = sums.split_once(' ')?;
        Some(Self {
            count,
            sum: sum.parse().ok()?,
            sum_of_squares: squares.parse().ok()?,
            min,
            max,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_of_additions_and_removals_does_not_change_the_bits() {
        let values = [19.3, 0.1, 0.2, 1e9, -7.25, 0.30000000000000004, 42.0];
        let mut forward = Accumulator::default();
        for v in values {
            forward.add(v);
        }
        let mut other = Accumulator::default();
        for v in values.iter().rev() {
            other.add(*v);
        }
        other.add(3.5);
        assert!(other.remove(3.5));
        assert_eq!(forward, other);
        assert_eq!(forward.count, 7);
        assert_eq!(forward.min, -7.25);
        assert_eq!(forward.max, 1e9);
        assert!((forward.sum() - values.iter().sum::<f64>()).abs() < 1e-6);
        let decoded =
            Accumulator::decode(forward.count, forward.min, forward.max, &forward.encode());
        assert_eq!(decoded, Some(forward));
    }

    #[test]
    fn removing_the_minimum_or_maximum_asks_for_a_recount() {
        let mut bucket = Accumulator::default();
        for v in [1.0, 2.0, 3.0] {
            bucket.add(v);
        }
        assert!(bucket.remove(2.0));
        assert!(!bucket.remove(3.0));
        assert!(!Accumulator::accepts(f64::NAN));
        assert!(!Accumulator::accepts(2e12));
        let mut last = Accumulator::default();
        last.add(5.0);
        assert!(last.remove(5.0));
        assert!(last.is_empty());
    }
}
