import {
  createColumnHelper,
  metaHelper,
  type RowData,
  rowPaginationFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
} from "@tanstack/react-table";

// The server-side table's features: sorting, pagination and selection state only. No client row
// models are registered, so rows are rendered exactly as the server sorted and paged them.

export type DataTableColumnMeta = {
  // Classes for the column's <th> and <td> (width, alignment).
  className?: string;
  // The cell that names the row (rendered as <th scope="row">).
  rowHeader?: boolean;
};

export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  rowSelectionFeature,
  columnMeta: metaHelper<DataTableColumnMeta>(),
});

export type DataTableFeatures = typeof dataTableFeatures;

export function createDataTableColumnHelper<TData extends RowData>() {
  return createColumnHelper<DataTableFeatures, TData>();
}
