import type { View } from './view-context.js';
import { deadLettersView } from './views/dead-letters-view.js';
import { deliveriesView } from './views/deliveries-view.js';
import { deliveryDetailView } from './views/delivery-detail-view.js';
import { overviewView } from './views/overview-view.js';
import { recoveryView } from './views/recovery-view.js';
import { taskDetailView } from './views/task-detail-view.js';
import { tasksView } from './views/tasks-view.js';

/** A section of the console: its route name, its label in the navigation, its list and detail views. */
export interface NavItem {
  route: string;
  label: string;
  list: View;
  /** For `#/<route>/<id>`. */
  detail?: View;
}

/**
 * The console's sections, in navigation order. A new section is one more entry here with its views.
 */
export const NAV_ITEMS: readonly NavItem[] = [
  { route: 'overview', label: 'Overview', list: overviewView },
  { route: 'deliveries', label: 'Deliveries', list: deliveriesView, detail: deliveryDetailView },
  { route: 'tasks', label: 'Tasks', list: tasksView, detail: taskDetailView },
  { route: 'dead-letters', label: 'Dead letters', list: deadLettersView },
  { route: 'recovery', label: 'Recovery', list: recoveryView },
];
