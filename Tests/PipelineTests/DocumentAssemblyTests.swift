import Testing

@testable import Pipeline

@Suite struct DocumentAssemblyTests {
    func part(_ sequence: UInt64, _ index: Int, of count: Int) -> PipelineItem {
        PipelineItem(
            epoch: 1, sequence: sequence, lowWater: 0, clientID: [], source: "s\(index)", payload: .tokens([index]),
            part: SentencePart(index: index, count: count, leading: "", trailing: " "))
    }

    @Test func aDocumentIsWholeOnceEverySentenceHasComeInAnyOrderDuplicatesDropped() {
        var assembly = DocumentAssembly()
        #expect(assembly.add(part(7, 2, of: 3), part: part(7, 2, of: 3).part!) == nil)
        #expect(assembly.add(part(8, 0, of: 1), part: part(8, 0, of: 1).part!) == [part(8, 0, of: 1)])
        #expect(assembly.add(part(7, 0, of: 3), part: part(7, 0, of: 3).part!) == nil)
        #expect(assembly.add(part(7, 2, of: 3), part: part(7, 2, of: 3).part!) == nil)
        #expect(assembly.count == 1)
        #expect(assembly.add(part(7, 1, of: 3), part: part(7, 1, of: 3).part!) == [part(7, 0, of: 3), part(7, 1, of: 3), part(7, 2, of: 3)])
        #expect(assembly.count == 0)
    }

    @Test func documentsAlreadyOutputAreForgotten() {
        var assembly = DocumentAssembly()
        for sequence in [3, 5, 9] as [UInt64] { _ = assembly.add(part(sequence, 0, of: 2), part: part(sequence, 0, of: 2).part!) }
        assembly.removeAll(below: 6)
        #expect(assembly.count == 1)
        #expect(assembly.add(part(3, 1, of: 2), part: part(3, 1, of: 2).part!) == nil)
        #expect(assembly.add(part(9, 1, of: 2), part: part(9, 1, of: 2).part!)?.count == 2)
    }
}
