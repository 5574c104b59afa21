// Scenarios: declarative incident timelines (resources/demo/*.yaml) played on the simulated clock.
export { createScenarioRunner, defaultScenarioDir, parseScenario, type ScenarioRunner, type ScenarioRun, type ScenarioLogEntry } from './runner.js';
export { applyStep, type ActionContext } from './actions.js';
export type { Scenario, ScenarioStep } from './schema.js';
