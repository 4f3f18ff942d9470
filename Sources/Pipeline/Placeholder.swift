// Placeholder: replaced by the pipeline module.
import ZeroMQ
