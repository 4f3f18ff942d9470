// Placeholder until the ZeroMQ wrapper lands.
import CZeroMQ
