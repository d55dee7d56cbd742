/// The best elements seen so far in an order (`ranksBefore`), at most `capacity` of them
/// (every one when nil): a page of hits chosen from matches read in several passes.
struct BestFirst<Element> {
    let capacity: Int?
    let ranksBefore: (Element, Element) -> Bool
    private var elements: [Element] = []

    init(capacity: Int?, by ranksBefore: @escaping (Element, Element) -> Bool) {
        self.capacity = capacity
        self.ranksBefore = ranksBefore
    }

    /// The last element kept, once `capacity` are: anything new must rank before it.
    var lastWhenFull: Element? {
        guard let capacity, elements.count >= capacity else { return nil }
        return elements.last
    }

    mutating func add(_ element: Element) {
        // Unbounded, the elements are sorted once at the end.
        guard let capacity else { return elements.append(element) }
        if let last = lastWhenFull, !ranksBefore(element, last) { return }
        var low = 0, high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if ranksBefore(elements[middle], element) { low = middle + 1 } else { high = middle }
        }
        elements.insert(element, at: low)
        if elements.count > capacity { elements.removeLast() }
    }

    mutating func removeAll() {
        elements.removeAll()
    }

    /// The elements, best first.
    var ranked: [Element] {
        capacity == nil ? elements.sorted(by: ranksBefore) : elements
    }
}
