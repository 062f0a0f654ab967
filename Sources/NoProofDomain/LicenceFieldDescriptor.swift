/// One data field carried by a licence type: its key in `Licence.fields` and its labels.
package struct LicenceFieldDescriptor: Hashable, Sendable, Codable {
    /// Machine key, lowercase snake case (`spouse_name`); used as the `field.<key>` import column.
    package var key: String
    /// Chinese label (配偶姓名).
    package var labelZh: String
    /// English label (Spouse's name).
    package var labelEn: String

    /// Creates a field descriptor.
    package init(key: String, labelZh: String, labelEn: String) {
        self.key = key
        self.labelZh = labelZh
        self.labelEn = labelEn
    }
}
