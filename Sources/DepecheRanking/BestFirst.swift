/// The best elements seen so far in an order (`ranksBefore`), at most `capacity` of them
/// (every one when nil): a page of hits chosen from matches read in several passes.
///
/// Kept sorted by insertion up to ``insertionLimit``; a larger capacity (a far page,
/// `--offset 400000`) would make each insertion move that many elements, so the
/// elements are then collected and sorted once, like an unbounded list.
///
/// Inlinable: the index's blend aggregate adds every match of a query to one.
public struct BestFirst<Element> {
    @inlinable public static var insertionLimit: Int { 10_000 }

    public let capacity: Int?
    public let ranksBefore: (Element, Element) -> Bool
    @usableFromInline var elements: [Element] = []

    @inlinable
    public init(capacity: Int?, by ranksBefore: @escaping (Element, Element) -> Bool) {
        self.capacity = capacity
        self.ranksBefore = ranksBefore
    }

    /// The last element kept, once `capacity` are: anything new must rank before it.
    @inlinable
    public var lastWhenFull: Element? {
        guard let capacity, capacity <= Self.insertionLimit, elements.count >= capacity else { return nil }
        return elements.last
    }

    @inlinable
    public mutating func add(_ element: Element) {
        // Unbounded, the elements are sorted once at the end.
        guard let capacity, capacity <= Self.insertionLimit else { return elements.append(element) }
        if let last = lastWhenFull, !ranksBefore(element, last) { return }
        var low = 0, high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if ranksBefore(elements[middle], element) { low = middle + 1 } else { high = middle }
        }
        elements.insert(element, at: low)
        if elements.count > capacity { elements.removeLast() }
    }

    @inlinable
    public mutating func removeAll() {
        elements.removeAll()
    }

    /// The elements, best first.
    @inlinable
    public var ranked: [Element] {
        guard let capacity, capacity <= Self.insertionLimit else {
            return Array(elements.sorted(by: ranksBefore).prefix(capacity ?? elements.count))
        }
        return elements
    }
}
