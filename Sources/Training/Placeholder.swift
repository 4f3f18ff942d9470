// Placeholder: replaced by the training module.
import Seq2Seq
