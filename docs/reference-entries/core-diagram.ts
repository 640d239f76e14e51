/**
 * Mermaid diagrams and transition tables drawn from the machine definitions.
 * @module @duet/core/diagram
 */
export * from '@duet/core/diagram'
