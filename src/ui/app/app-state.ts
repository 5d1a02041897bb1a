/**
 * Page-wide state shared by the studio's views (setup → data → run → live → result).
 * A tiny observable (no framework): views subscribe through AppStateController and re-render.
 * Only plain data lives here; the worker client and the store come through @lit/context.
 */
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import type { PresetName, Query, RoleBinding, Role, SearchSettings, Budget } from '../../core/contracts/run-config';
import type { GpuProbe, LoadedModel, LoadProgress, EndpointConfig } from '../../protocol/worker-api';
import type { SerializedError } from '../../core/contracts/errors';
import type { TokenPrice } from '../../core/plan/cost';
import type { ParseReport } from '../../core/data/parse-queries';
import { DEFAULT_INITIAL_PROMPT, DEFAULT_PRESET } from '../../core/plan/presets';

export interface EndpointState extends Omit<EndpointConfig, 'apiKey'> {
  /** Held in memory only unless `remember` is ticked (then the store keeps it). */
  apiKey?: string;
  remember: boolean;
  /** Restored after a reload without the key it was used with: runs wait until it is typed again. */
  needsKey?: boolean;
  models: string[];
  /** Optional price per million input / output tokens (cost estimates on cards and in the live view). */
  price?: TokenPrice;
}

/** A model's measured speed: decode rate, and for endpoints the wait per request before the first token. */
export interface MeasuredSpeed {
  /** Which model on which server (view-models/measured-speed.ts): the same model name elsewhere is another speed. */
  key: string;
  tokensPerS: number;
  perCallMs?: number;
}

/** The training data as read; the run's planner splits off the held-out queries (view-models/dataset-choice.ts). */
export interface DatasetChoice {
  source: 'builtin' | 'upload' | 'saved';
  name: string;
  queries: Query[];
  /** A saved dataset's record id: the Data view shows (and a Delete of it knows) what is selected. */
  savedId?: string;
  /**
   * An uploaded file's report (what reading it kept and left out): the Data view is made anew on each visit, and
   * shows it again, with Save on this device, when the user comes back.
   */
  report?: ParseReport;
}

export interface AppStateData {
  gpu: GpuProbe | null;
  loaded: LoadedModel[];
  loadProgress: LoadProgress | null;
  endpoints: EndpointState[];
  /** Model per role; default: the one loaded WebLLM model plays every role. */
  roles: Partial<Record<Role, RoleBinding>>;
  dataset: DatasetChoice | null;
  preset: PresetName;
  settingsOverride: Partial<SearchSettings>;
  budget: Budget;
  /** The system prompt the next run starts from: the root of its tree and the control it must beat. */
  initialPrompt: string;
  /**
   * The name typed for the next run (in memory only: a name belongs to one run). Here, not in the Run view, so a
   * visit to Data or Setup before Start keeps it; a started run clears it.
   */
  runName: string;
  /** The run shown in the live/result views. */
  activeRunId: string | null;
  /** Alignment chosen for the playground (from a result, history or a share link). */
  playgroundAlignment: AlignmentArtifact | null;
  /**
   * The run `playgroundAlignment` came from, when a Result handed it over (its closest candidate may be unsaved):
   * the Playground's Save stores it as the Result does (its run, its name). It holds the artifact it is about, so
   * one handed over later from History or a link is not taken for the run's.
   */
  playgroundRun: { artifact: AlignmentArtifact; runId: string } | null;
  /** A saved alignment the Evaluate view should preselect, with its starting prompt (Result → Evaluate). */
  evalPreselect: { alignmentId: string } | null;
  /** Page-level error banner. */
  error: (SerializedError & { context?: string }) | null;
  /** The last speed a reply reported (one model on one server): feeds the preset cards' time estimates. */
  decodeSpeed: MeasuredSpeed | null;
  /** False when IndexedDB is unavailable (private mode): results won't be kept. */
  persistent: boolean;
}

type Listener = (state: AppStateData) => void;

export class AppState {
  private data: AppStateData;
  private listeners = new Set<Listener>();

  constructor(initial?: Partial<AppStateData>) {
    this.data = {
      gpu: null,
      loaded: [],
      loadProgress: null,
      endpoints: [],
      roles: {},
      dataset: null,
      preset: DEFAULT_PRESET,
      settingsOverride: {},
      budget: {},
      initialPrompt: DEFAULT_INITIAL_PROMPT,
      runName: '',
      activeRunId: null,
      playgroundAlignment: null,
      playgroundRun: null,
      evalPreselect: null,
      error: null,
      persistent: true,
      decodeSpeed: null,
      ...initial,
    };
  }

  get value(): Readonly<AppStateData> {
    return this.data;
  }

  update(patch: Partial<AppStateData>): void {
    this.data = { ...this.data, ...patch };
    for (const l of this.listeners) l(this.data);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
